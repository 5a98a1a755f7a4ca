"""Round results as the pages show them: per item a chart, a table and a sentence.

Reads the plain aggregates of ``services.round_results`` (published or live)
and adds what the reader's language needs; nothing here queries the database.
"""

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from participation.charts import bar_chart
from participation.models import QuestionKind

SUS_BUCKET_LABELS = [f"{low}–{low + 9}" for low in range(0, 90, 10)] + ["90–100"]


def _number(value) -> str:
    return "–" if value is None else number_format(value, decimal_pos=1)


def _item(key, title, summary, rows, table_heading) -> dict:
    return {
        "id": key,
        "title": title,
        "summary": summary,
        "chart": bar_chart(rows) if rows else None,
        "rows": rows,
        "table_heading": table_heading,
    }


def sus_item(sus: dict) -> dict:
    if sus["count"]:
        summary = ngettext(
            "The SUS score of %(count)s tester is %(mean)s of 100.",
            "The mean SUS score of %(count)s testers is %(mean)s of 100 (median %(median)s).",
            sus["count"],
        ) % {"count": sus["count"], "mean": _number(sus["mean"]), "median": _number(sus["median"])}
    else:
        summary = _("Nobody has answered the System Usability Scale yet.")
    rows = list(zip(SUS_BUCKET_LABELS, sus["distribution"], strict=True))
    return _item("sus", _("System Usability Scale (SUS)"), summary, rows, _("Testers"))


def task_item(task: dict) -> dict:
    title = _("Task %(position)s: %(title)s") % task
    if task["answers"]:
        summary = _(
            "%(managed)s of %(answers)s managed it (%(rate)s %%), %(difficult)s of them with "
            "difficulty; median difficulty %(median)s of 5."
        ) % {
            "managed": task["yes"] + task["difficult"],
            "answers": task["answers"],
            "rate": task["success_rate"],
            "difficult": task["difficult"],
            "median": _number(task["median_difficulty"]),
        }
    else:
        summary = _("Nobody has done this task yet.")
    rows = [
        (_("Managed it"), task["yes"]),
        (_("With difficulty"), task["difficult"]),
        (_("Did not manage it"), task["no"]),
    ]
    return _item(f"task-{task['position']}", title, summary, rows, _("Testers"))


def question_item(question: dict) -> dict:
    title = _("Question %(position)s: %(text)s") % question
    answers = question["answers"]
    rows: list[tuple[str, int]] = []
    if question["kind"] == QuestionKind.RATING:
        rows = [(str(value), count) for value, count in enumerate(question["counts"], 1)]
        summary = (
            _("On average %(mean)s of 5, from %(answers)s answers.")
            % {"mean": _number(question["mean"]), "answers": answers}
            if answers
            else _("Nobody has answered this question.")
        )
    elif question["kind"] == QuestionKind.TEXT:
        summary = ngettext(
            "%(answers)s written answer; the team reads the texts.",
            "%(answers)s written answers; the team reads the texts.",
            answers,
        ) % {"answers": answers}
    else:
        rows = list(zip(question["options"], question["counts"], strict=True))
        top_label, top_count = max(rows, key=lambda row: row[1]) if rows else ("", 0)
        summary = (
            _("%(answers)s answers; chosen most often: “%(option)s” (%(count)s times).")
            % {"answers": answers, "option": top_label, "count": top_count}
            if answers
            else _("Nobody has answered this question.")
        )
    return _item(f"question-{question['position']}", title, summary, rows, _("Answers"))


def present(round_, results: dict) -> dict:
    """The items of a round's results, in the order the page shows them."""
    if round_.is_test:
        items = [sus_item(results["sus"])] + [task_item(task) for task in results["tasks"]]
    else:
        items = [question_item(question) for question in results["questions"]]
    respondents = results["respondents"]
    return {
        "respondents": respondents,
        "summary": ngettext(
            "%(count)s person took part.", "%(count)s people took part.", respondents
        )
        % {"count": respondents},
        "items": items,
        "sus": results.get("sus"),
    }
