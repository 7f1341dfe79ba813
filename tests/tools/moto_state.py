#!/usr/bin/env python3
"""Reads moto's SageMaker state with boto3 (an independent client, straight to moto, not through any proxy).

  moto_state.py <endpoint> groups <name-prefix>          -> {"groups": {name: {tag: value}}}
  moto_state.py <endpoint> versions [--describe] <group>... -> {"versions": {group: [{arn, version, status, token}]}}

--describe reads each version in full to report the module's client token from its customer metadata.
"""
import json
import os
import sys
from concurrent.futures import ThreadPoolExecutor

import boto3
from botocore.config import Config

TOKEN_KEY = "modelregistry:client-token"


def client(endpoint):
    return boto3.client(
        "sagemaker", endpoint_url=endpoint, region_name="us-east-1",
        aws_access_key_id="test", aws_secret_access_key="test",
        config=Config(retries={"max_attempts": 3, "mode": "standard"}, max_pool_connections=16))


def groups(sm, prefix):
    names = []
    for page in sm.get_paginator("list_model_package_groups").paginate(NameContains=prefix, PaginationConfig={"PageSize": 100}):
        names += [g["ModelPackageGroupName"] for g in page["ModelPackageGroupSummaryList"]
                  if g["ModelPackageGroupName"].startswith(prefix)]

    def tags(name):
        arn = sm.describe_model_package_group(ModelPackageGroupName=name)["ModelPackageGroupArn"]
        return name, {t["Key"]: t["Value"] for t in sm.list_tags(ResourceArn=arn).get("Tags", [])}

    with ThreadPoolExecutor(8) as pool:
        return {"groups": dict(pool.map(tags, names))}


def versions(sm, names, describe):
    out = {}
    for name in names:
        items = []
        for page in sm.get_paginator("list_model_packages").paginate(
                ModelPackageGroupName=name, ModelPackageType="Versioned", PaginationConfig={"PageSize": 100}):
            items += [{"arn": p["ModelPackageArn"], "version": p.get("ModelPackageVersion"),
                       "status": p.get("ModelApprovalStatus")} for p in page["ModelPackageSummaryList"]]
        if describe:
            def token(item):
                d = sm.describe_model_package(ModelPackageName=item["arn"])
                item["token"] = d.get("CustomerMetadataProperties", {}).get(TOKEN_KEY)
                return item
            with ThreadPoolExecutor(8) as pool:
                items = list(pool.map(token, items))
        out[name] = items
    return {"versions": out}


def main(argv):
    os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")
    endpoint, mode, rest = argv[1], argv[2], argv[3:]
    sm = client(endpoint)
    if mode == "groups":
        result = groups(sm, rest[0])
    else:
        describe = "--describe" in rest
        result = versions(sm, [r for r in rest if r != "--describe"], describe)
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main(sys.argv)
