// Accessible names that Django's admin widgets leave out. Runs on "load", after the
// autocomplete (select2) and filter_horizontal widgets have been built.
"use strict";

function labelFor(select) {
    const label = document.querySelector(`label[for="${select.id}"]`);
    if (label && !label.id) {
        label.id = `${select.id}-label`;
    }
    return label;
}

function nameAutocompletes(root) {
    for (const select of root.querySelectorAll("select.admin-autocomplete[id]")) {
        const label = labelFor(select);
        const container = select.nextElementSibling;
        if (!label || !container || !container.classList.contains("select2")) {
            continue;
        }
        // The combobox is named by its (often empty) selection only: add the field's label.
        const combobox = container.querySelector(".select2-selection");
        const shown = combobox && combobox.getAttribute("aria-labelledby");
        const rendered = container.querySelector(".select2-selection__rendered[id]");
        if (rendered && !rendered.hasAttribute("aria-labelledby")) {
            rendered.setAttribute("aria-labelledby", `${label.id} ${rendered.id}`);
        }
        if (combobox && shown && !shown.includes(label.id)) {
            combobox.setAttribute("aria-labelledby", `${label.id} ${shown}`);
        } else if (combobox && !shown) {
            combobox.setAttribute("aria-labelledby", label.id);
        }
        for (const search of container.querySelectorAll(".select2-search__field")) {
            search.setAttribute("aria-labelledby", label.id);
        }
    }
}

function roleTooltips(root) {
    // A <span> may not carry aria-label without a role; the tooltip is an icon.
    for (const tooltip of root.querySelectorAll(".help-tooltip[aria-label]:not([role])")) {
        tooltip.setAttribute("role", "img");
    }
}

function labelTabularInlines(root) {
    // A tabular inline labels its inputs by the column heading only, visually.
    for (const table of root.querySelectorAll(".tabular table")) {
        for (const heading of table.querySelectorAll("thead th[class*='column-']")) {
            const name = [...heading.classList].find((c) => c.startsWith("column-")).slice(7);
            heading.id ||= `${table.closest(".inline-group").id}-${name}-heading`;
            for (const input of table.querySelectorAll(
                `td.field-${name} :is(input, select, textarea):not([type=hidden])`,
            )) {
                if (!input.labels.length && !input.hasAttribute("aria-labelledby")) {
                    input.setAttribute("aria-labelledby", heading.id);
                }
            }
        }
        const deleteHeading = table.querySelector("thead tr > th:last-child:not([class*='column-'])");
        if (deleteHeading && deleteHeading.textContent.trim()) {
            deleteHeading.id ||= `${table.closest(".inline-group").id}-delete-heading`;
            for (const box of table.querySelectorAll("td.delete input[type=checkbox]")) {
                if (!box.labels.length && !box.hasAttribute("aria-labelledby")) {
                    box.setAttribute("aria-labelledby", deleteHeading.id);
                }
            }
        }
        // An empty header cell (the object's and the delete column) heads nothing.
        for (const empty of table.querySelectorAll("thead th:empty, thead th.original")) {
            if (empty.textContent.trim() === "") {
                const cell = document.createElement("td");
                cell.className = empty.className;
                empty.replaceWith(cell);
            }
        }
    }
}

function improve(root) {
    nameAutocompletes(root);
    roleTooltips(root);
    labelTabularInlines(root);
}

// select2 and the filter widgets are built after this script has run, some after "load",
// and rebuilt after changes and for added inline forms: follow the page as it changes.
improve(document);
new MutationObserver(() => improve(document)).observe(document.body, {
    childList: true,
    subtree: true,
});
