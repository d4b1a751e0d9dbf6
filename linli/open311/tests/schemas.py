"""JSON Schemas of the GeoReport v2 responses, written from the spec
(http://wiki.open311.org/GeoReport_v2), and a small validator for the subset they use
(`type`, `properties`, `required`, `additionalProperties`, `items`, `enum`, `pattern`,
`minItems`, `maxItems`) — the jsonschema package is not part of the stack."""

from __future__ import annotations

import re
from typing import Any

ISO = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)$"
ISO_OR_EMPTY = r"^$|" + ISO[1:]
STR = {"type": "string"}

ERRORS = {
    "type": "array",
    "minItems": 1,
    "items": {
        "type": "object",
        "required": ["code", "description"],
        "properties": {"code": {"type": "integer"}, "description": STR},
    },
}

DISCOVERY = {
    "type": "object",
    "required": ["changeset", "contact", "key_service", "endpoints"],
    "properties": {
        "changeset": {"type": "string", "pattern": ISO},
        "contact": STR,
        "key_service": STR,
        "endpoints": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["specification", "url", "changeset", "type", "formats"],
                "properties": {
                    "specification": STR,
                    "url": {"type": "string", "pattern": r"^https?://"},
                    "changeset": {"type": "string", "pattern": ISO},
                    "type": {"enum": ["production", "test"]},
                    "formats": {"type": "array", "items": STR},
                },
            },
        },
    },
}

SERVICES = {
    "type": "array",
    "items": {
        "type": "object",
        "required": [
            "service_code",
            "service_name",
            "description",
            "metadata",
            "type",
            "keywords",
            "group",
        ],
        "additionalProperties": False,
        "properties": {
            "service_code": STR,
            "service_name": STR,
            "description": STR,
            "metadata": {"type": "boolean"},
            "type": {"enum": ["realtime", "batch", "blackbox"]},
            "keywords": STR,
            "group": STR,
        },
    },
}

SERVICE_DEFINITION = {
    "type": "object",
    "required": ["service_code", "attributes"],
    "properties": {
        "service_code": STR,
        "attributes": {
            "type": "array",
            "items": {
                "type": "object",
                "required": [
                    "variable",
                    "code",
                    "datatype",
                    "required",
                    "datatype_description",
                    "order",
                    "description",
                ],
                "properties": {
                    "variable": {"type": "boolean"},
                    "code": STR,
                    "datatype": {
                        "enum": [
                            "string",
                            "number",
                            "datetime",
                            "text",
                            "singlevaluelist",
                            "multivaluelist",
                        ]
                    },
                    "required": {"type": "boolean"},
                    "datatype_description": STR,
                    "order": {"type": "integer"},
                    "description": STR,
                    "values": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["key", "name"],
                            "properties": {"key": STR, "name": STR},
                        },
                    },
                },
            },
        },
    },
}

POST_RESPONSE = {
    "type": "array",
    "minItems": 1,
    "maxItems": 1,
    "items": {
        "type": "object",
        "required": ["service_request_id", "token", "service_notice", "account_id"],
        "properties": {
            "service_request_id": {"type": "string", "pattern": r"^\d+$"},
            "token": STR,
            "service_notice": STR,
            "account_id": STR,
        },
    },
}

REQUEST = {
    "type": "object",
    "required": [
        "service_request_id",
        "status",
        "status_notes",
        "service_name",
        "service_code",
        "description",
        "agency_responsible",
        "service_notice",
        "requested_datetime",
        "updated_datetime",
        "expected_datetime",
        "address",
        "address_id",
        "zipcode",
        "lat",
        "long",
        "media_url",
    ],
    "additionalProperties": False,
    "properties": {
        "service_request_id": {"type": "string", "pattern": r"^\d+$"},
        "status": {"enum": ["open", "closed"]},
        "status_notes": STR,
        "service_name": STR,
        "service_code": STR,
        "description": STR,
        "agency_responsible": STR,
        "service_notice": STR,
        "requested_datetime": {"type": "string", "pattern": ISO},
        "updated_datetime": {"type": "string", "pattern": ISO},
        "expected_datetime": {"type": "string", "pattern": ISO_OR_EMPTY},
        "address": STR,
        "address_id": STR,
        "zipcode": STR,
        "lat": {"type": "string", "pattern": r"^$|^-?\d+(\.\d+)?$"},
        "long": {"type": "string", "pattern": r"^$|^-?\d+(\.\d+)?$"},
        "media_url": STR,
    },
}

REQUESTS = {"type": "array", "items": REQUEST}

TOKEN = {
    "type": "array",
    "minItems": 1,
    "items": {
        "type": "object",
        "required": ["service_request_id", "token"],
        "properties": {"service_request_id": {"type": "string", "pattern": r"^\d+$"}, "token": STR},
    },
}

_TYPES: dict[str, type | tuple[type, ...]] = {
    "object": dict,
    "array": list,
    "string": str,
    "boolean": bool,
    "integer": int,
    "number": (int, float),
}


def validate(instance: Any, schema: dict[str, Any], path: str = "$") -> None:
    """Raise AssertionError naming the first place `instance` breaks `schema`."""
    if "enum" in schema:
        assert instance in schema["enum"], f"{path}: {instance!r} not in {schema['enum']}"
    kind = schema.get("type")
    if kind:
        expected = _TYPES[kind]
        ok = isinstance(instance, expected) and not (
            kind in ("integer", "number") and isinstance(instance, bool)
        )
        assert ok, f"{path}: expected {kind}, got {type(instance).__name__}"
    if "pattern" in schema:
        assert re.search(schema["pattern"], instance), (
            f"{path}: {instance!r} !~ {schema['pattern']}"
        )
    if isinstance(instance, dict):
        for key in schema.get("required", []):
            assert key in instance, f"{path}: missing {key}"
        props = schema.get("properties", {})
        if schema.get("additionalProperties") is False:
            extra = set(instance) - set(props)
            assert not extra, f"{path}: unexpected {sorted(extra)}"
        for key, sub in props.items():
            if key in instance:
                validate(instance[key], sub, f"{path}.{key}")
    if isinstance(instance, list):
        if "minItems" in schema:
            assert len(instance) >= schema["minItems"], f"{path}: too few items"
        if "maxItems" in schema:
            assert len(instance) <= schema["maxItems"], f"{path}: too many items"
        if "items" in schema:
            for i, item in enumerate(instance):
                validate(item, schema["items"], f"{path}[{i}]")
