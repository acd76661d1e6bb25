"""Paths and Reference Paths: selection, roots, indefinite paths and AWS's error texts."""

from __future__ import annotations

import pytest

from backend.engine.errors import DefinitionError, StatesError
from backend.engine.paths import compile_path, compile_reference_path

STORE = {
    "store": {
        "book": [
            {"category": "reference", "author": "Nigel Rees", "price": 8.95},
            {"category": "fiction", "author": "Evelyn Waugh", "price": 12.99},
            {"category": "fiction", "author": "Herman Melville", "isbn": "0-553-21311-3", "price": 8.99},
        ],
        "bicycle": {"color": "red", "price": 19.95},
    },
    "x y": 1,
    "store.book": "dotted",
    "foo@bar": "at",
    "über": "unicode",
    "a": [1, 2, 3],
}


def select(path: str, data, scope):
    return compile_path(path, pointer="/States/S/InputPath").select(data, scope)


# PATH-01 / PATH-03: Jayway dot and bracket notation, indexes, escapes, unicode names.
@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("$", STORE),
        ("$.store.bicycle.color", "red"),
        ("$.store.book[0].author", "Nigel Rees"),
        ("$.store.book[-1].author", "Herman Melville"),
        ("$['store']['bicycle']['price']", 19.95),
        ('$["store"]["bicycle"]', {"color": "red", "price": 19.95}),
        ("$['x y']", 1),
        ("$[ 'x y' ]", 1),
        ("$.store\\.book", "dotted"),
        ("$['store.book']", "dotted"),
        ("$.foo\\@bar", "at"),
        ("$.über", "unicode"),
        ("$.a[1]", 2),
    ],
)
def test_definite_paths_select_one_value(path, expected, scope):
    assert select(path, STORE, scope) == expected


# PATH-01 / PATH-04: indefinite paths give the list of matches.
@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("$.a[0,1]", [1, 2]),
        ("$.a[-2:]", [2, 3]),
        ("$.a[:1]", [1]),
        ("$.a[1:3]", [2, 3]),
        ("$.a[*]", [1, 2, 3]),
        ("$.store.book[*].author", ["Nigel Rees", "Evelyn Waugh", "Herman Melville"]),
        ("$.store.book[?(@.price < 10)].author", ["Nigel Rees", "Herman Melville"]),
        ("$.store.book[?(@.isbn)].author", ["Herman Melville"]),
        ("$.store.book[?(@.category == 'fiction' && @.price > 10)].price", [12.99]),
        ("$.store.book[?(@.author =~ /.*Waugh/)].price", [12.99]),
        ("$.store.book[?(@.author =~ /nigel rees/i)].price", [8.95]),
        ("$..color", ["red"]),
        ("$.store..price", [8.95, 12.99, 8.99, 19.95]),
        ("$.store.bicycle.*", ["red", 19.95]),
    ],
)
def test_indefinite_paths_select_a_list(path, expected, scope):
    assert select(path, STORE, scope) == expected


def test_regex_filter_matches_the_whole_value_as_jayway_does(scope):
    # "Waugh" only occurs inside the name; Jayway's =~ needs a full match.
    assert select("$.store.book[?(@.author =~ /Waugh/)]", STORE, scope) == []


# Recorded on AWS (test_json_path_array_wildcard_or_slice_with_no_input): an
# indefinite path over missing data is an empty list, not an error.
@pytest.mark.parametrize("path", ["$.items[*]", "$.item.items[*]", "$.items[1:]", "$.items[:1].itemValue", "$.item.items[1:5]"])
def test_indefinite_path_over_missing_data_is_empty_list(path, scope):
    assert select(path, {}, scope) == []


# PATH-05: $$ addresses the Context Object, built only when asked for.
def test_context_object_paths(scope):
    assert select("$$.Execution.Id", {"Execution": "not this"}, scope) == "arn:exec:1"
    assert select("$$.Map.Item.Index", {}, scope) == 2
    assert select("$$", {}, scope) == scope.context
    assert select("$$.Execution.Input['k']", {}, scope) == "v"


def test_input_paths_never_build_the_context_object(scope):
    select("$.a[0]", STORE, scope)
    select("$.a[*]", STORE, scope)
    assert scope.context_builds == 0


# PATH-07: $name reads a workflow variable; the rest of the path applies to its value.
def test_variable_paths(scope):
    assert select("$count", {}, scope) == 3
    assert select("$order.total", {}, scope) == 9
    assert select("$order.items[1].sku", {}, scope) == "b"
    assert select("$order.items[*].sku", {}, scope) == ["a", "b"]


def test_unset_variable_is_a_runtime_error(scope):
    with pytest.raises(StatesError) as caught:
        select("$missing.x", {}, scope)
    assert caught.value.error == "States.Runtime"
    assert caught.value.cause == "Invalid path '$missing.x' : Variable 'missing' is not defined"


def test_null_values_are_selected_not_missing(scope):
    assert select("$.a", {"a": None}, scope) is None


# PATH-08: AWS's causes (Jayway's PathNotFoundException texts) for InputPath/OutputPath.
@pytest.mark.parametrize(
    ("path", "data", "cause"),
    [
        # Recorded: test_invalid_jsonpath[ST.INVALID_JSONPATH_IN_INPUTPATH]
        ("$.NoSuchInputPath", {"int-literal": 0}, "Invalid path '$.NoSuchInputPath' : No results for path: $['NoSuchInputPath']"),
        # Recorded: test_catch_states_runtime (OutputPath on a task result)
        ("$.no.such.result.path", {}, "Invalid path '$.no.such.result.path' : Missing property in path $['no']"),
        ("$.a.b", {"a": {}}, "Invalid path '$.a.b' : No results for path: $['a']['b']"),
        ("$.a[5]", {"a": [1]}, "Invalid path '$.a[5]' : No results for path: $['a'][5]"),
        ("$.a[-2]", {"a": [1]}, "Invalid path '$.a[-2]' : No results for path: $['a'][-2]"),
        (
            "$.a[0]",
            {"a": {"b": 1}},
            "Invalid path '$.a[0]' : Filter: [0] can only be applied to arrays. Current context is: {\"b\":1}",
        ),
    ],
)
def test_missing_node_causes(path, data, cause, scope):
    with pytest.raises(StatesError) as caught:
        select(path, data, scope)
    assert caught.value.error == "States.Runtime"
    assert caught.value.cause == cause


def test_property_of_a_non_object_cause(scope):
    with pytest.raises(StatesError) as caught:
        select("$.a.b", {"a": "text"}, scope)
    assert caught.value.cause.startswith(
        "Invalid path '$.a.b' : Expected to find an object with property ['b'] in path $['a'] but found 'java.lang.String'."
    )


def test_index_into_a_string_is_missing_not_a_character(scope):
    with pytest.raises(StatesError):
        select("$.s[0]", {"s": "abc"}, scope)


def test_field_cause_embeds_the_input_as_compact_json(scope):
    # Recorded: test_invalid_jsonpath[INVALID_JSONPATH_IN_STRING_EXPR_JSONPATH] / [..._IN_ERRORPATH].
    path = compile_path("$.no_such_jsonpath", pointer="/States/pass/Parameters/value.$")
    with pytest.raises(StatesError) as caught:
        path.select({"int-literal": 0, "b": [1, "é"]}, scope, "value.$")
    assert caught.value.error == "States.Runtime"
    assert caught.value.cause == (
        "The JSONPath '$.no_such_jsonpath' specified for the field 'value.$' could not be found "
        "in the input '{\"int-literal\":0,\"b\":[1,\"é\"]}'"
    )


def test_select_never_mutates_the_data(scope):
    data = {"a": [{"b": 1}], "c": {"d": 2}}
    snapshot = repr(data)
    for path in ("$.a[0].b", "$.a[*].b", "$..d", "$.c"):
        select(path, data, scope)
    assert repr(data) == snapshot


@pytest.mark.parametrize(
    "path", ["a.b", "", "$.a[", "$.a[?(@.x ==]", "$[", "$.a.length()", "$.a[?(@.x == bare)]", "$.a b", "$.a."]
)
def test_bad_syntax_is_a_definition_error_at_the_pointer(path):
    with pytest.raises(DefinitionError) as caught:
        compile_path(path, pointer="/States/S/InputPath")
    assert caught.value.pointer == "/States/S/InputPath"
    assert caught.value.code == "INVALID_JSONPATH"
    assert path in caught.value.message or "string" in caught.value.message


def test_non_string_path_is_a_definition_error():
    with pytest.raises(DefinitionError) as caught:
        compile_path(42, pointer="/States/S/OutputPath")  # type: ignore[arg-type]
    assert caught.value.code == "INVALID_JSONPATH"


# PATH-02: Reference Paths identify one node.
@pytest.mark.parametrize("path", ["$.a[0,1]", "$.a[*]", "$.a[1:]", "$..a", "$.a[?(@.x)]"])
def test_reference_path_rejects_indefinite_paths(path):
    with pytest.raises(DefinitionError) as caught:
        compile_reference_path(path, pointer="/States/M/ItemsPath")
    assert caught.value.pointer == "/States/M/ItemsPath"
    assert caught.value.code == "INVALID_JSONPATH"


def test_reference_path_accepts_definite_paths(scope):
    assert compile_reference_path("$.a[2]", pointer="").select(STORE, scope) == 3
    assert compile_reference_path("$$.Map.Item.Value", pointer="").select({}, scope) == "x"
    assert compile_reference_path("$order.total", pointer="").select({}, scope) == 9


def test_compiled_path_keeps_its_text():
    assert compile_path("$.a['b c']", pointer="").text == "$.a['b c']"


def test_quoted_names_are_kept_verbatim_as_aws_does(scope):
    # Recorded: test_escape_sequence_parsing[ESCAPE_SEQUENCES_JSONPATH]. The backslash
    # keeps the quote inside the name but is itself part of the name.
    data = {'Test\\""Name"': 'Value"\\'}
    assert select("$['Test\\\"\"Name\"']", data, scope) == 'Value"\\'


def test_several_quoted_names_merge_into_one_object(scope):
    # Jayway: a multi-property bracket at the end yields one object of the present names.
    assert select("$.store.bicycle['color','size','price']", STORE, scope) == {"color": "red", "price": 19.95}
    with pytest.raises(StatesError) as caught:
        select("$.a['x','y']", STORE, scope)
    assert "Expected to find an object with property ['x', 'y'] in path $['a']" in caught.value.cause


def test_unicode_variable_names(scope):
    scope.variables["größe"] = {"wert": 1}
    assert select("$größe.wert", {}, scope) == 1


def test_surrounding_blanks_are_ignored_as_jayway_does(scope):
    assert select(" $.a[0] ", STORE, scope) == 1


# PATH-03: the ASL specification's list of valid Reference Paths, with the names they denote.
@pytest.mark.parametrize(
    ("path", "steps"),
    [
        (r"$.store.book", ("store", "book")),
        (r"$.store\.book", ("store.book",)),
        (r"$.\stor\e.boo\k", ("store", "book")),
        (r"$.store.book.title", ("store", "book", "title")),
        (r"$.foo.\.bar", ("foo", ".bar")),
        (r"$.foo\@bar.baz\[\[.\?pretty", ("foo@bar", "baz[[", "?pretty")),
        ("$.&Ж中.\U00010346", ("&Ж中", "\U00010346")),
        (r"$.ledgers.branch[0].pending.count", ("ledgers", "branch", 0, "pending", "count")),
        (r"$.ledgers.branch[0]", ("ledgers", "branch", 0)),
        (r"$.ledgers[0][22][315].foo", ("ledgers", 0, 22, 315, "foo")),
        (r"$['store']['book']", ("store", "book")),
        (r"$['store'][0]['book']", ("store", 0, "book")),
    ],
)
def test_specification_reference_path_examples(path, steps, scope):
    data = "found"
    for step in reversed(steps):  # build the document the path walks through
        data = [None] * step + [data] if isinstance(step, int) else {step: data}
    assert compile_reference_path(path, pointer="").select(data, scope) == "found"
