"""Active content in a PDF: found and removed, so no file we pass on can run anything.

What can act when a PDF is opened or clicked: JavaScript (document, page, field, annotation
actions), /OpenAction and /AA (additional actions), launch, URI, form submission and remote
go-to actions, embedded and attached files, XFA forms, rich media. The whole object graph is
walked from the catalog (once per object, so shared and cyclic objects cost nothing more);
the number of objects was bounded while parsing (``pdfs.open_pdf``).
"""

from __future__ import annotations

from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, PdfObject

# Keys whose value is active whatever it holds.
_ACTIVE_KEYS = frozenset(
    {"/OpenAction", "/AA", "/JS", "/JavaScript", "/EmbeddedFiles", "/EF", "/XFA"}
    | {"/RichMediaContent"}
)
# Keys that hold an action: removed when the action is of a kind that reaches out.
_ACTION_KEYS = ("/A", "/Next", "/PA")
_ACTIVE_ACTIONS = frozenset(
    {
        "/JavaScript",
        "/Launch",
        "/URI",
        "/SubmitForm",
        "/ImportData",
        "/GoToR",
        "/GoToE",
        "/RichMediaExecute",
        "/Rendition",
        "/Sound",
        "/Movie",
    }
)
_ACTIVE_ANNOTATIONS = frozenset({"/FileAttachment", "/RichMedia", "/Screen", "/Movie", "/Sound"})


def _is_active_action(value: PdfObject) -> bool:
    action = value.get_object()
    if isinstance(action, ArrayObject):  # /Next may list several actions
        return any(_is_active_action(item) for item in action)
    return isinstance(action, DictionaryObject) and action.get("/S") in _ACTIVE_ACTIONS


def _active_keys(node: DictionaryObject) -> list[str]:
    keys = [key for key in node if key in _ACTIVE_KEYS]
    keys += [key for key in _ACTION_KEYS if key in node and _is_active_action(node[key])]
    if node.get("/Subtype") in _ACTIVE_ANNOTATIONS and "/FS" in node:
        keys.append("/FS")
    return keys


def _children(node: PdfObject | None) -> list[PdfObject | None]:
    if isinstance(node, DictionaryObject):
        return list(node.values())
    if isinstance(node, ArrayObject):
        return list(node)
    return []


def _walk(root: PdfObject, remove: bool) -> bool:
    """Return whether active content is reachable from ``root``; remove it if asked."""
    found = False
    seen: set[int] = set()
    stack: list[PdfObject | None] = [root]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum << 16) | item.generation
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            for name in _active_keys(item):
                found = True
                if not remove:
                    return True
                # Cut inside too: what hung there may be written out as an unreferenced
                # object; emptied, and the writer drops what nothing references any more.
                stack.append(item.raw_get(name))
                del item[name]
        stack.extend(_children(item))
    return found


def has_active_content(root: PdfObject) -> bool:
    """Tell whether the document under ``root`` (its trailer or catalog) can act."""
    return _walk(root, remove=False)


def remove_active_content(root: PdfObject) -> bool:
    """Remove every active part under ``root``; return whether there was any."""
    return _walk(root, remove=True)
