"""Static validation of a definition: AWS-style diagnostics located by JSON pointer.

CONTRACT (owned by the validation module):

    validate_definition(definition: str | dict, *, workflow_type: str = "STANDARD")
        -> list[Diagnostic]
    Diagnostic: dataclass(severity: "ERROR"|"WARNING", code: str, message: str, location: str)
        ``location`` is a JSON pointer into the definition, e.g. "/States/Check/Choices/0/Next".
    A definition is valid when no diagnostic has severity ERROR.
"""
