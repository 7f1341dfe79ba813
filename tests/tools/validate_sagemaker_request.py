#!/usr/bin/env python3
"""Validate SageMaker request bodies against botocore's service model.

Usage:  validate_sagemaker_request.py OPERATION < body.json
        validate_sagemaker_request.py --batch < [{"operation": "...", "body": {...}}, ...]

Runs botocore's ParamValidator (unknown members, required members, types, minimums) and, because that
validator skips them, also checks maximum lengths/sizes, enums and patterns. Exit 0 when every body is
valid; exit 1 with a report otherwise; exit 2 on usage errors.
"""
import json
import sys

import botocore.session
from botocore.validate import validate_parameters
from botocore.exceptions import ParamValidationError

try:
    import regex as _re  # supports \p{L} classes used by SageMaker patterns
except ImportError:  # pragma: no cover
    _re = None


def extra_checks(value, shape, path, errors):
    t = shape.type_name
    meta = shape.metadata
    if t == "structure" and isinstance(value, dict):
        for name, member in shape.members.items():
            if name in value:
                extra_checks(value[name], member, f"{path}.{name}", errors)
    elif t == "list" and isinstance(value, list):
        if "max" in meta and len(value) > meta["max"]:
            errors.append(f"{path}: {len(value)} items, max {meta['max']}")
        for i, item in enumerate(value):
            extra_checks(item, shape.member, f"{path}[{i}]", errors)
    elif t == "map" and isinstance(value, dict):
        if "max" in meta and len(value) > meta["max"]:
            errors.append(f"{path}: {len(value)} entries, max {meta['max']}")
        for k, v in value.items():
            extra_checks(k, shape.key, f"{path}<key {k!r}>", errors)
            extra_checks(v, shape.value, f"{path}[{k!r}]", errors)
    elif t == "string" and isinstance(value, str):
        if "max" in meta and len(value) > meta["max"]:
            errors.append(f"{path}: length {len(value)}, max {meta['max']}")
        if shape.enum and value not in shape.enum:
            errors.append(f"{path}: {value!r} is not one of {shape.enum}")
        pattern = meta.get("pattern")
        if pattern and _re is not None and _re.fullmatch(pattern, value) is None:
            errors.append(f"{path}: {value!r} does not match pattern {pattern!r}")
    elif t in ("integer", "long") and isinstance(value, int):
        if "max" in meta and value > meta["max"]:
            errors.append(f"{path}: {value} > max {meta['max']}")


def validate(model, operation, body):
    try:
        op = model.operation_model(operation)
    except Exception as e:  # OperationNotFoundError
        return [f"{operation}: unknown operation ({e})"]
    errors = []
    try:
        validate_parameters(body, op.input_shape)
    except ParamValidationError as e:
        errors.append(str(e))
    extra_checks(body, op.input_shape, operation, errors)
    return errors


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    data = json.load(sys.stdin)
    if argv[1] == "--batch":
        requests = data
    else:
        requests = [{"operation": argv[1], "body": data}]
    model = botocore.session.get_session().get_service_model("sagemaker")
    failures = []
    for r in requests:
        for err in validate(model, r["operation"], r["body"]):
            failures.append(f"{r['operation']}: {err}")
    if failures:
        print("\n".join(failures))
        return 1
    print(f"ok: {len(requests)} request(s) valid")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
