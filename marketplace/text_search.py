"""The words of a browse search, and where a word is looked for when full-text search is not used."""

from django.db.models import Q


def search_words(text: str) -> tuple[list[str], list[str]]:
    """The words to find and, marked by a leading minus, the words to exclude."""
    words = text.replace('"', " ").split()
    wanted = [word for word in words if not word.startswith("-")]
    unwanted = [word[1:] for word in words if word.startswith("-") and len(word) > 1]
    return wanted, unwanted


def word_in_title(word: str) -> Q:
    """In the title or the English title: both are public, also for internal projects."""
    return Q(title__icontains=word) | Q(title_en__icontains=word)


def word_anywhere(word: str) -> Q:
    return (
        word_in_title(word)
        | Q(summary__icontains=word)
        | Q(summary_en__icontains=word)
        | Q(description__icontains=word)
        | Q(search_extra__icontains=word)
    )
