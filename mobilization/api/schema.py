"""The OpenAPI schema says exactly what the API does (drf-spectacular):

- a brief relation is written as its primary key and read as `{id, display, url}`;
- an optional query parameter may be sent empty (it then does not filter);
- every operation lists the error answers any view can give (400, 401, 403, 404, 429; a write
  also 409, 413 and 415), each with its JSON body: `{"detail": "..."}`, or for 400 an object of
  field names to messages.
"""

from drf_spectacular.extensions import OpenApiSerializerFieldExtension

__all__ = ["BriefRelatedFieldExtension", "add_error_responses"]


class BriefRelatedFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "mobilization.api.base.BriefRelatedField"

    def map_serializer_field(self, auto_schema, direction):
        key = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        if direction == "request":
            return key
        key = {k: v for k, v in key.items() if k not in ("readOnly", "writeOnly", "nullable", "description")}
        schema = {
            "type": "object",
            "properties": {
                "id": key,
                "display": {"type": "string"},
                "url": {"type": "string", "format": "uri", "nullable": True},
            },
            "required": ["id", "display", "url"],
        }
        if self._nullable():
            schema["nullable"] = True
        return schema

    def _nullable(self):
        """A read-only relation declared on the serializer does not say it may be null: its column does."""
        field = self.target
        if field.allow_null:
            return True
        model = getattr(getattr(field.parent, "Meta", None), "model", None)
        try:
            return bool(model and model._meta.get_field(field.source.split(".")[0]).null)
        except Exception:  # noqa: BLE001 - a source that is no model field (a property) says nothing
            return False


ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
    "description": "A refusal that concerns the request as a whole.",
}
FIELD_ERRORS = {
    "type": "object",
    "additionalProperties": {},
    "description": (
        'Field name → list of messages (`{"field": ["message"]}`); `detail` or `non_field_errors` for '
        'the request as a whole; a refused spreadsheet gives `{"errors": [{"row", "column", "message"}]}`.'
    ),
}
RESPONSES = {
    400: ("FieldErrors", "The input was refused: the messages say why, per field."),
    401: ("Error", "No valid credentials were given."),
    403: ("Error", "The user may see this but not do this."),
    404: ("Error", "No such object within the user's scope (or no such page)."),
    405: ("Error", "This method is not offered here."),
    409: ("Error", "The object is still referred to by others, or the change conflicts with them."),
    413: ("Error", "The request body is larger than the server accepts."),
    415: ("Error", "The request body's media type is not accepted."),
    429: ("Error", "Too many requests or failed logins: try again later."),
}
ALL = (400, 401, 403, 404, 405, 429)
WRITES = ALL + (409, 413, 415)
METHODS = {"get": ALL, "head": ALL, "delete": WRITES, "post": WRITES, "put": WRITES, "patch": WRITES}


def add_error_responses(result, generator, request, public):
    """Postprocessing hook: add the error answers a view does not document itself."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", ERROR)
    schemas.setdefault("FieldErrors", FIELD_ERRORS)
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", ()):
                # Filters and paging read an empty value as "not given", as django-filter does.
                if parameter.get("in") == "query" and not parameter.get("required"):
                    parameter["allowEmptyValue"] = True
            for code in METHODS.get(method, ()):
                component, description = RESPONSES[code]
                operation.setdefault("responses", {}).setdefault(
                    str(code),
                    {
                        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}},
                        "description": description,
                    },
                )
    return result
