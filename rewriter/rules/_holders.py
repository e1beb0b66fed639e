"""Where a hoisted value lives: a module-level name or an instance attribute set in `__init__`.

A holder starts as `None` and is filled lazily on the first trace. These helpers choose a
free holder name and produce the edits that declare it: `_f_v = None` above the
top-level statement holding the function, or `self._f_v = None` in the class's
`__init__` (after its `super().__init__(...)` call; a new `__init__` that forwards every
argument to `super().__init__` when the class has none). Edits for one declaration site
are identical across fixes, so fixes applied in the same pass collapse into one edit.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from rewriter.analyze import ModuleAnalysis
from rewriter.analyze.syntax import first_row, is_docstring
from rewriter.edits import Edit
from rewriter.rules._base import NoFix


class NoHolder(NoFix):
    """No holder can be declared safely; the message says why."""


@dataclass(frozen=True)
class Holder:
    """A holder: `name` at module level, `self.<name>` in `owner`, or a closure cell.

    A closure holder (`function` set) is a local of the function that defines the graph
    function, declared just before that definition and reached with `nonlocal`: every
    function object the enclosing function makes gets its own variable.
    """

    name: str
    owner: ast.ClassDef | None
    declared: bool  # already `name = None` (or `self.name = None` in __init__), unused elsewhere
    function: ast.FunctionDef | ast.AsyncFunctionDef | None = None

    @property
    def site(self) -> str:
        """Where it is declared: "module", "class" or "closure"."""
        return "class" if self.owner is not None else "closure" if self.function is not None else "module"


def module_holder(module: ModuleAnalysis, base: str, taken: set[Holder]) -> Holder:
    """A free module-level name derived from `base` (`_step_v`, `_step_v_2`, ...)."""
    for index in range(1, 100):
        name = base if index == 1 else f"{base}_{index}"
        if any(h.owner is None and h.name == name for h in taken):
            continue
        uses = module.uses_of(name)
        if uses == 0:
            return Holder(name, None, False)
        if uses == 1 and module.declared_none(name):
            return Holder(name, None, True)
    raise NoHolder("no free module-level name for the holder")


def closure_holder(
    module: ModuleAnalysis, function: ast.FunctionDef | ast.AsyncFunctionDef, base: str, taken: set[Holder]
) -> Holder:
    """A local of `function` named like `base`, free everywhere in the module."""
    for index in range(1, 100):
        name = base if index == 1 else f"{base}_{index}"
        if any(h.owner is None and h.name == name for h in taken):
            continue
        if module.uses_of(name) == 0:
            return Holder(name, None, False, function)
    raise NoHolder("no free name for the holder")


def attribute_holder(klass: ast.ClassDef, name: str, taken: set[Holder], exact: bool = False) -> Holder:
    """`self.<name>` (or `<name>_2`, ...) that nothing else in the class uses.

    With `exact`, the name must be `name` itself (the code already uses `self.<name>`),
    and it may be assigned only by the method being fixed and set to None in `__init__`.
    """
    if any(
        isinstance(n, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__slots__" for t in n.targets)
        for n in klass.body
    ):
        raise NoHolder("the class declares `__slots__`")
    uses = _attribute_uses(klass)
    for index in range(1, 2 if exact else 100):
        candidate = name if index == 1 else f"{name}_{index}"
        if any(h.owner is klass and h.name == candidate for h in taken):
            continue
        stores, loads, none_in_init = uses.get(candidate, (0, 0, False))
        if exact:
            if stores - none_in_init > 1:
                raise NoHolder(f"`self.{candidate}` is assigned elsewhere in the class")
            return Holder(candidate, klass, none_in_init)
        if stores == loads == 0:
            return Holder(candidate, klass, False)
        if stores == 1 and loads == 0 and none_in_init:
            return Holder(candidate, klass, True)
    raise NoHolder("no free attribute name for the holder")


def declaration_edits(module: ModuleAnalysis, holders: list[Holder], anchor: ast.stmt) -> tuple[Edit, ...]:
    """The edit declaring every undeclared holder of one site (module level or a class).

    `anchor` is the top-level statement holding the function (module holders), the class
    (attribute holders) or the statement of the enclosing function's body that holds the
    function (closure holders). Raises NoHolder when the declaration has no clear place.
    """
    names = [h.name for h in holders if not h.declared]
    if not names:
        return ()
    lines = module.lines
    if all(h.site == "closure" for h in holders):
        row = first_row(anchor)
        indent = indentation(module, anchor)
        if any(h.function is not None and h.function.lineno == row for h in holders):
            raise NoHolder("the enclosing function is written on one line")
        start = lines.line_start(row)
        return (Edit(start, start, "".join(f"{indent}{n} = None\n" for n in names) + "\n"),)
    if all(h.site == "module" for h in holders):
        row = first_row(anchor)
        declared = "".join(f"{n} = None\n" for n in names)
        if _after_imports_and_blank_lines(module, anchor, row):
            # Right below the imports, isort (Ruff's I001) wants one blank line before a
            # statement that is not a def or class: go in after the first blank line.
            start = lines.line_start(_import_block_end(module, anchor) + 2)
            return (Edit(start, start, declared + "\n"),)
        start = lines.line_start(row)
        return (Edit(start, start, declared + "\n\n"),)
    assert isinstance(anchor, ast.ClassDef)
    init = next((n for n in anchor.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"), None)
    if init is None:
        return (_new_init(module, anchor, names),)
    params = init.args.posonlyargs + init.args.args
    if not params:
        raise NoHolder("`__init__` has no `self` parameter")
    self_name = params[0].arg
    body = init.body[1:] if is_docstring(init.body[0]) and len(init.body) > 1 else init.body
    supers = [n for n in ast.walk(init) if isinstance(n, ast.Call) and _is_init_call(n)]
    after = next((s for s in body if isinstance(s, ast.Expr) and s.value in supers), None)
    if supers and after is None:
        raise NoHolder("`super().__init__` is called inside a block of `__init__`")
    target = after if after is not None else body[0]
    if target.lineno == init.lineno:
        raise NoHolder("`__init__` is written on one line")
    indent = indentation(module, body[0])
    text = "".join(f"{indent}{self_name}.{n} = None\n" for n in names)
    if after is None:
        start = lines.line_start(target.lineno)
    else:
        row = (after.end_lineno or after.lineno) + 1
        if row > len(lines.line_starts):
            raise NoHolder("`super().__init__` is the last line of the file")
        start = lines.line_start(row)
    return (Edit(start, start, text),)


def _new_init(module: ModuleAnalysis, klass: ast.ClassDef, names: list[str]) -> Edit:
    # timid: a decorated class (dataclass, attrs) or a metaclass may own __init__.
    if klass.decorator_list or klass.keywords:
        raise NoHolder("the class has no `__init__` and is decorated or has a metaclass")
    for other in module.nodes:
        # timid: a subclass whose own __init__ skips super().__init__ would never set the holder.
        if isinstance(other, ast.ClassDef) and any(isinstance(b, ast.Name) and b.id == klass.name for b in other.bases):
            init = next((n for n in other.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"), None)
            if init is not None and not any(isinstance(n, ast.Call) and _is_init_call(n) for n in ast.walk(init)):
                raise NoHolder(f"subclass `{other.name}` has an `__init__` that does not call `super().__init__`")
    method = next((n for n in klass.body if isinstance(n, ast.FunctionDef)), None)
    if method is None:
        raise NoHolder("the class has no method to put `__init__` before")
    row = first_row(method)
    if row == klass.lineno:
        raise NoHolder("the class is written on one line")
    indent = indentation(module, method)
    inner = indent + indent_unit(indent, indentation(module, klass))
    text = (
        f"def __init__(self, *args, **kwargs):\n{inner}super().__init__(*args, **kwargs)\n"
        + "".join(f"{inner}self.{n} = None\n" for n in names)
        + f"\n{indent}"
    )
    start = module.lines.line_start(row) + method.col_offset
    return Edit(start, start, text)


def indentation(module: ModuleAnalysis, node: ast.stmt) -> str:
    """The whitespace before `node` on its line, as written (tabs stay tabs)."""
    start = module.lines.line_start(node.lineno)
    text = module.text[start : module.lines.offset_from_ast(node.lineno, node.col_offset)]
    if text.strip():
        raise NoHolder("the statement does not start its line")
    return text


def indent_unit(inner: str, outer: str = "") -> str:
    """One level of indentation as the file writes it: `inner` (a block's) less `outer`.

    A 2-space file stays 2-space and a tab-indented one stays tabs; four spaces when
    the two say nothing (`outer` not a prefix of `inner`).
    """
    if inner.startswith(outer) and len(inner) > len(outer) and inner[len(outer) :].strip(" \t") == "":
        return inner[len(outer) :]
    return "\t" if "\t" in inner else "    "


def _is_init_call(call: ast.Call) -> bool:
    return isinstance(call.func, ast.Attribute) and call.func.attr == "__init__"


def _attribute_uses(klass: ast.ClassDef) -> dict[str, tuple[int, int, bool]]:
    """attr -> (stores, loads, set to None in __init__) over every `<x>.attr` in the class."""
    uses: dict[str, tuple[int, int, bool]] = {}
    for method in klass.body:
        if not isinstance(method, ast.FunctionDef):
            continue
        for node in ast.walk(method):
            if not isinstance(node, ast.Attribute):
                continue
            stores, loads, none_in_init = uses.get(node.attr, (0, 0, False))
            if isinstance(node.ctx, ast.Load):
                loads += 1
            else:
                stores += 1
            uses[node.attr] = (stores, loads, none_in_init)
        if method.name == "__init__":
            for node in ast.walk(method):
                if (
                    isinstance(node, ast.Assign)
                    and len(node.targets) == 1
                    and isinstance(node.targets[0], ast.Attribute)
                    and isinstance(node.value, ast.Constant)
                    and node.value.value is None
                ):
                    attr = node.targets[0].attr
                    stores, loads, _ = uses.get(attr, (0, 0, False))
                    uses[attr] = (stores, loads, True)
    return uses


def _import_block_end(module: ModuleAnalysis, anchor: ast.stmt) -> int:
    """The last row of the module-level statement just before `anchor` (0: none)."""
    body = module.tree.body
    index = next((i for i, node in enumerate(body) if node is anchor), 0)
    return (body[index - 1].end_lineno or body[index - 1].lineno) if index > 0 else 0


def _after_imports_and_blank_lines(module: ModuleAnalysis, anchor: ast.stmt, row: int) -> bool:
    """`anchor` (first row `row`) follows an import statement with two or more blank lines
    and nothing else (no comment) between them."""
    body = module.tree.body
    index = next((i for i, node in enumerate(body) if node is anchor), 0)
    if index == 0 or not isinstance(body[index - 1], (ast.Import, ast.ImportFrom)):
        return False
    end = _import_block_end(module, anchor)
    between = [module.lines.line_text(r) for r in range(end + 1, row)]
    return len(between) >= 2 and all(not text.strip() for text in between)
