#!/usr/bin/env python3
"""boto3 rows of build.ps1 Bench, against moto on loopback. Prints one JSON object: {"n":…, "seconds":…}.

  groups-seq     <endpoint> <prefix> <n>            describe + create per group, one at a time (the seed's logic)
  groups-threads <endpoint> <prefix> <n> <threads>  create only, thread pool: the emulator's raw capacity
  register       <endpoint> <prefix> <groups> <per-group> <arns-file>   setup: groups and versions (not timed)
  approve-seq    <endpoint> <arns-file> <n>         update-model-package per version, one at a time
  approve-threads <endpoint> <arns-file> <n> <threads>
  reset          <endpoint>                         empties moto (POST /moto-api/reset)

Against the service model (build/service_model.py), with boto3's DEFAULT retry configuration, counting
failures instead of stopping at the first; prints {"n":…, "ok":…, "lost":…, "seconds":…, "error": first error}:
  limited-approve <endpoint> <arns-file> <n> <threads>
  limited-groups  <endpoint> <prefix> <n> <threads>       create only (the names are new)
"""
import json
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError


def client(endpoint, pool=16):
    return boto3.client("sagemaker", endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id="test", aws_secret_access_key="test",
                        config=Config(retries={"max_attempts": 3, "mode": "standard"}, max_pool_connections=pool))


def tags(i):
    return [{"Key": "ManagedBy", "Value": "bench-sagemaker"}, {"Key": "Team", "Value": "boto"},
            {"Key": "Project", "Value": f"p{i:04d}"}, {"Key": "Phase", "Value": "2C"}]


def groups_seq(sm, prefix, n):
    for i in range(n):
        name = f"{prefix}-{i:04d}"
        try:
            sm.describe_model_package_group(ModelPackageGroupName=name)
            continue
        except ClientError:
            pass
        sm.create_model_package_group(ModelPackageGroupName=name, ModelPackageGroupDescription=f"Models for boto/p{i:04d}", Tags=tags(i))


def groups_threads(sm, prefix, n, threads):
    def one(i):
        sm.create_model_package_group(ModelPackageGroupName=f"{prefix}-{i:04d}",
                                      ModelPackageGroupDescription=f"Models for boto/p{i:04d}", Tags=tags(i))
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(one, range(n)))


def register(sm, prefix, groups, per_group, path):
    names = [f"{prefix}-{g:02d}" for g in range(groups)]
    for name in names:
        sm.create_model_package_group(ModelPackageGroupName=name)

    def one(i):
        r = sm.create_model_package(
            ModelPackageGroupName=names[i % groups], ModelApprovalStatus="PendingManualApproval",
            InferenceSpecification={"Containers": [{"Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/bench:1"}],
                                    "SupportedContentTypes": ["application/json"], "SupportedResponseMIMETypes": ["application/json"]})
        return r["ModelPackageArn"]
    with ThreadPoolExecutor(16) as pool:
        arns = list(dict.fromkeys(pool.map(one, range(groups * per_group))))
    # moto numbers a group's versions without a lock: two concurrent creates can get one ARN (one version lost).
    # Top up the groups that came out short, one at a time.
    for g, name in enumerate(names):
        while sum(1 for a in arns if a.split("/")[-2] == name) < per_group:
            arns.append(one(g))
    with open(path, "w") as f:
        f.write("\n".join(arns))


def arns(path, n):
    with open(path) as f:
        return [a for a in f.read().split("\n") if a][:n]


def approve_seq(sm, items):
    for arn in items:
        sm.update_model_package(ModelPackageArn=arn, ModelApprovalStatus="Approved")


def approve_threads(sm, items, threads):
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(lambda a: sm.update_model_package(ModelPackageArn=a, ModelApprovalStatus="Approved"), items))


def limited(endpoint, threads, work, items):
    """Default retries (legacy mode, 5 attempts, unless AWS_RETRY_MODE says otherwise): what a user's script gets."""
    sm = boto3.client("sagemaker", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test",
                      aws_secret_access_key="test", config=Config(max_pool_connections=max(10, threads)))
    errors = []

    def one(item):
        try:
            work(sm, item)
            return True
        except ClientError as e:
            errors.append(str(e))
            return False
    start = time.perf_counter()
    if threads <= 1:
        ok = sum(1 for i in items if one(i))
    else:
        with ThreadPoolExecutor(threads) as pool:
            ok = sum(1 for r in pool.map(one, items) if r)
    seconds = time.perf_counter() - start
    print(json.dumps({"n": len(items), "ok": ok, "lost": len(items) - ok, "seconds": seconds,
                      "error": errors[0] if errors else None}))


def main(a):
    mode, endpoint = a[1], a[2]
    if mode == "reset":
        urllib.request.urlopen(urllib.request.Request(endpoint + "/moto-api/reset", method="POST")).read()
        print(json.dumps({}))
        return
    if mode == "limited-approve":
        limited(endpoint, int(a[5]), lambda sm, arn: sm.update_model_package(ModelPackageArn=arn, ModelApprovalStatus="Approved"),
                arns(a[3], int(a[4])))
        return
    if mode == "limited-groups":
        prefix = a[3]
        limited(endpoint, int(a[5]), lambda sm, i: sm.create_model_package_group(
            ModelPackageGroupName=f"{prefix}-{i:04d}", ModelPackageGroupDescription=f"Models for boto/p{i:04d}", Tags=tags(i)),
            list(range(int(a[4]))))
        return
    threads = int(a[-1]) if mode.endswith("threads") else 1
    sm = client(endpoint, max(16, threads))
    sm.list_model_package_groups(MaxResults=1)  # connection and credentials warmed, as in a running loop
    start = time.perf_counter()
    if mode == "groups-seq":
        n = int(a[4]); groups_seq(sm, a[3], n)
    elif mode == "groups-threads":
        n = int(a[4]); groups_threads(sm, a[3], n, threads)
    elif mode == "register":
        n = int(a[4]) * int(a[5]); register(sm, a[3], int(a[4]), int(a[5]), a[6])
    elif mode == "approve-seq":
        items = arns(a[3], int(a[4])); n = len(items); approve_seq(sm, items)
    elif mode == "approve-threads":
        items = arns(a[3], int(a[4])); n = len(items); approve_threads(sm, items, threads)
    else:
        raise SystemExit("unknown mode " + mode)
    print(json.dumps({"n": n, "seconds": time.perf_counter() - start}))


if __name__ == "__main__":
    main(sys.argv)
