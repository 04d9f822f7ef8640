"""A cross-account backup scenario driven through boto3 against the crossvault sandbox.

An independent, non-JavaScript AWS client: if the sandbox only agreed with our own SDK it would prove little.
The endpoint comes from AWS_ENDPOINT_URL. CROSSVAULT_SANDBOX_OPERATIONS (space-separated `service:Operation`)
names the operations the sandbox emulates; a step that needs another one is reported as skipped.
Prints one JSON object: {"steps": [{"name", "status": "ok"|"skipped"|"failed", "detail"}]}; exit 1 on failure.
"""
import json
import os
import sys
import time

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

MGMT, PROD, VAULT, OUTSIDE = "111111111111", "222222222222", "333333333333", "999999999999"
REGION = os.environ.get("AWS_REGION", "us-east-1")
EMULATED = set(os.environ.get("CROSSVAULT_SANDBOX_OPERATIONS", "").split())
CONFIG = Config(retries={"max_attempts": 1, "mode": "standard"})
steps = []
state = {}


def client(service, creds=None):
    kwargs = {"region_name": REGION, "config": CONFIG}
    if creds:
        kwargs.update(aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"], aws_session_token=creds["SessionToken"])
    return boto3.client(service, **kwargs)


def step(name, needs):
    def run(fn):
        missing = [op for op in needs if op not in EMULATED]
        if missing:
            steps.append({"name": name, "status": "skipped", "detail": "not emulated: " + ", ".join(missing)})
            return fn
        try:
            detail = fn()
            steps.append({"name": name, "status": "ok", "detail": detail})
        except Exception as err:  # report every failure, keep going
            steps.append({"name": name, "status": "failed", "detail": f"{type(err).__name__}: {err}"})
        return fn
    return run


def expect(cond, what):
    if not cond:
        raise AssertionError(what)


def error_code(fn):
    try:
        fn()
    except ClientError as err:
        return err.response["Error"]["Code"]
    raise AssertionError("the call succeeded but an error was expected")


def assume(account):
    sts = client("sts")
    out = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole", RoleSessionName="boto3-scenario")
    return out["Credentials"]


@step("sts: caller identity and AssumeRole", ["sts:GetCallerIdentity", "sts:AssumeRole"])
def _():
    me = client("sts").get_caller_identity()
    expect(me["Account"] == MGMT, f"management caller, got {me['Account']}")
    creds = assume(PROD)
    expect(creds["AccessKeyId"].startswith("ASIA"), "temporary key starts with ASIA")
    who = client("sts", creds).get_caller_identity()
    expect(who["Account"] == PROD and ":assumed-role/OrganizationAccountAccessRole/" in who["Arn"], who["Arn"])
    state["prod"] = creds
    state["vault"] = assume(VAULT)
    return who["Arn"]


@step("organizations: structure reads", ["organizations:DescribeOrganization", "organizations:ListAccounts", "organizations:ListRoots", "organizations:ListParents", "organizations:ListOrganizationalUnitsForParent"])
def _():
    orgs = client("organizations")
    org = orgs.describe_organization()["Organization"]
    accounts = [a["Id"] for page in orgs.get_paginator("list_accounts").paginate() for a in page["Accounts"]]
    expect(set([MGMT, PROD, VAULT]).issubset(accounts) and OUTSIDE not in accounts, f"accounts {accounts}")
    root = orgs.list_roots()["Roots"][0]
    ous = orgs.list_organizational_units_for_parent(ParentId=root["Id"])["OrganizationalUnits"]
    parents = orgs.list_parents(ChildId=VAULT)["Parents"]
    expect(parents[0]["Type"] == "ORGANIZATIONAL_UNIT", f"parents {parents}")
    state["org_id"] = org["Id"]
    return f"{org['Id']}: {len(accounts)} accounts, {len(ous)} top-level OUs"


@step("organizations: typed errors", ["organizations:ListAccounts", "sts:AssumeRole"])
def _():
    code = error_code(lambda: client("organizations", state["prod"]).list_accounts())
    expect(code == "AccessDeniedException", code)
    code = error_code(lambda: client("organizations").list_accounts(MaxResults=50))
    expect(code == "InvalidInputException", code)
    return code


@step("organizations: trusted access for AWS Backup", ["organizations:EnableAWSServiceAccess", "organizations:ListAWSServiceAccessForOrganization"])
def _():
    orgs = client("organizations")
    orgs.enable_aws_service_access(ServicePrincipal="backup.amazonaws.com")
    enabled = [s["ServicePrincipal"] for s in orgs.list_aws_service_access_for_organization()["EnabledServicePrincipals"]]
    expect("backup.amazonaws.com" in enabled, f"enabled {enabled}")
    return enabled


@step("backup: cross-account global setting", ["backup:UpdateGlobalSettings", "backup:DescribeGlobalSettings"])
def _():
    backup = client("backup")
    backup.update_global_settings(GlobalSettings={"isCrossAccountBackupEnabled": "true"})
    settings = backup.describe_global_settings()["GlobalSettings"]
    expect(settings.get("isCrossAccountBackupEnabled") == "true", f"settings {settings}")
    code = error_code(lambda: client("backup", state["prod"]).update_global_settings(GlobalSettings={"isCrossAccountBackupEnabled": "false"}))
    return f"enabled; from a member account: {code}"


def key_policy(account, share_with=None):
    statements = [{"Sid": "Root", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:root"}, "Action": "kms:*", "Resource": "*"}]
    if share_with:
        statements.append({"Sid": "Share", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{share_with}:root"},
                           "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey", "kms:CreateGrant"], "Resource": "*"})
    return json.dumps({"Version": "2012-10-17", "Statement": statements})


@step("kms: customer-managed keys and aliases", ["kms:CreateKey", "kms:CreateAlias", "kms:DescribeKey", "kms:GetKeyPolicy", "sts:AssumeRole"])
def _():
    vault_kms = client("kms", state["vault"])
    vault_key = vault_kms.create_key(Description="central vault key", Policy=key_policy(VAULT))["KeyMetadata"]
    vault_kms.create_alias(AliasName="alias/central-vault", TargetKeyId=vault_key["KeyId"])
    described = vault_kms.describe_key(KeyId="alias/central-vault")["KeyMetadata"]
    expect(described["Arn"] == vault_key["Arn"] and described["KeyManager"] == "CUSTOMER", described)
    prod_kms = client("kms", state["prod"])
    prod_key = prod_kms.create_key(Description="prod vault key", Policy=key_policy(PROD, share_with=VAULT))["KeyMetadata"]
    policy = json.loads(prod_kms.get_key_policy(KeyId=prod_key["KeyId"], PolicyName="default")["Policy"])
    expect(len(policy["Statement"]) == 2, policy)
    code = error_code(lambda: vault_kms.describe_key(KeyId="alias/does-not-exist"))
    expect(code == "NotFoundException", code)
    state["vault_key"], state["prod_key"] = vault_key["Arn"], prod_key["Arn"]
    return [vault_key["Arn"], prod_key["Arn"]]


@step("backup: vaults and the destination access policy", ["backup:CreateBackupVault", "backup:PutBackupVaultAccessPolicy", "backup:GetBackupVaultAccessPolicy", "backup:DescribeBackupVault"])
def _():
    vault_backup = client("backup", state["vault"])
    dest = vault_backup.create_backup_vault(BackupVaultName="central", EncryptionKeyArn=state["vault_key"])
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "backup:CopyIntoBackupVault", "Resource": "*",
                                                       "Condition": {"StringEquals": {"aws:PrincipalOrgID": [state.get("org_id", "o-a1b2c3d4e5")]}}}]}
    vault_backup.put_backup_vault_access_policy(BackupVaultName="central", Policy=json.dumps(policy))
    stored = json.loads(vault_backup.get_backup_vault_access_policy(BackupVaultName="central")["Policy"])
    expect(stored["Statement"][0]["Action"] == "backup:CopyIntoBackupVault", stored)
    prod_backup = client("backup", state["prod"])
    src = prod_backup.create_backup_vault(BackupVaultName="prod-vault", EncryptionKeyArn=state["prod_key"])
    code = error_code(lambda: prod_backup.create_backup_vault(BackupVaultName="prod-vault", CreatorRequestId="another"))
    expect(code == "AlreadyExistsException", code)
    code = error_code(lambda: prod_backup.describe_backup_vault(BackupVaultName="no-such-vault"))
    expect(code == "ResourceNotFoundException", code)
    code = error_code(lambda: prod_backup.create_backup_vault(BackupVaultName="bad name!"))
    expect(code == "InvalidParameterValueException", code)
    state["dest_vault_arn"], state["src_vault_arn"] = dest["BackupVaultArn"], src["BackupVaultArn"]
    return [dest["BackupVaultArn"], src["BackupVaultArn"]]


@step("backup: plan with a cross-account copy action, and a selection", ["backup:CreateBackupPlan", "backup:GetBackupPlan", "backup:CreateBackupSelection", "backup:UpdateBackupPlan"])
def _():
    backup = client("backup", state["prod"])
    rule = {"RuleName": "daily", "TargetBackupVaultName": "prod-vault", "ScheduleExpression": "cron(0 5 * * ? *)",
            "Lifecycle": {"DeleteAfterDays": 35},
            "CopyActions": [{"DestinationBackupVaultArn": state["dest_vault_arn"], "Lifecycle": {"DeleteAfterDays": 90}}]}
    plan = backup.create_backup_plan(BackupPlan={"BackupPlanName": "prod-daily", "Rules": [rule]})
    got = backup.get_backup_plan(BackupPlanId=plan["BackupPlanId"])
    expect(got["BackupPlan"]["Rules"][0]["CopyActions"][0]["DestinationBackupVaultArn"] == state["dest_vault_arn"], got)
    bad_rule = dict(rule, Lifecycle={"MoveToColdStorageAfterDays": 30, "DeleteAfterDays": 60})
    code = error_code(lambda: backup.update_backup_plan(BackupPlanId=plan["BackupPlanId"], BackupPlan={"BackupPlanName": "prod-daily", "Rules": [bad_rule]}))
    expect(code == "InvalidParameterValueException", code)
    backup.create_backup_selection(BackupPlanId=plan["BackupPlanId"], BackupSelection={
        "SelectionName": "tagged", "IamRoleArn": f"arn:aws:iam::{PROD}:role/service-role/AWSBackupDefaultServiceRole",
        "ListOfTags": [{"ConditionType": "STRINGEQUALS", "ConditionKey": "backup", "ConditionValue": "daily"}]})
    return plan["BackupPlanId"]


def wait_for(describe, key):
    deadline = time.time() + 30
    while time.time() < deadline:
        job = describe()
        if job["State"] in ("COMPLETED", "FAILED", "ABORTED"):
            return job
        time.sleep(0.2)
    raise AssertionError(f"{key} did not finish within 30 s")


@step("backup: backup job, then a cross-account copy job that completes", ["backup:StartBackupJob", "backup:DescribeBackupJob", "backup:StartCopyJob", "backup:DescribeCopyJob", "backup:ListRecoveryPointsByBackupVault"])
def _():
    backup = client("backup", state["prod"])
    role = f"arn:aws:iam::{PROD}:role/service-role/AWSBackupDefaultServiceRole"
    started = backup.start_backup_job(BackupVaultName="prod-vault", ResourceArn=f"arn:aws:dynamodb:{REGION}:{PROD}:table/orders", IamRoleArn=role)
    job = wait_for(lambda: backup.describe_backup_job(BackupJobId=started["BackupJobId"]), "backup job")
    expect(job["State"] == "COMPLETED", job)
    copy = backup.start_copy_job(RecoveryPointArn=job["RecoveryPointArn"], SourceBackupVaultName="prod-vault",
                                 DestinationBackupVaultArn=state["dest_vault_arn"], IamRoleArn=role)
    copied = wait_for(lambda: backup.describe_copy_job(CopyJobId=copy["CopyJobId"])["CopyJob"], "copy job")
    expect(copied["State"] == "COMPLETED", copied)
    points = client("backup", state["vault"]).list_recovery_points_by_backup_vault(BackupVaultName="central")["RecoveryPoints"]
    arrived = [p for p in points if p["RecoveryPointArn"] == copied.get("DestinationRecoveryPointArn")]
    expect(len(arrived) == 1 and arrived[0]["EncryptionKeyArn"] == state["vault_key"], points)
    return copied["DestinationRecoveryPointArn"]


@step("backup: a copy into the Default vault fails", ["backup:StartBackupJob", "backup:DescribeBackupJob", "backup:StartCopyJob", "backup:DescribeCopyJob"])
def _():
    backup = client("backup", state["prod"])
    role = f"arn:aws:iam::{PROD}:role/service-role/AWSBackupDefaultServiceRole"
    started = backup.start_backup_job(BackupVaultName="prod-vault", ResourceArn=f"arn:aws:dynamodb:{REGION}:{PROD}:table/users", IamRoleArn=role)
    job = wait_for(lambda: backup.describe_backup_job(BackupJobId=started["BackupJobId"]), "backup job")
    copy = backup.start_copy_job(RecoveryPointArn=job["RecoveryPointArn"], SourceBackupVaultName="prod-vault",
                                 DestinationBackupVaultArn=f"arn:aws:backup:{REGION}:{VAULT}:backup-vault:Default", IamRoleArn=role)
    failed = wait_for(lambda: backup.describe_copy_job(CopyJobId=copy["CopyJobId"])["CopyJob"], "copy job")
    expect(failed["State"] == "FAILED" and failed.get("StatusMessage"), failed)
    return failed["StatusMessage"]


@step("sts: AssumeRole into an outside account is denied", ["sts:AssumeRole"])
def _():
    code = error_code(lambda: client("sts").assume_role(RoleArn=f"arn:aws:iam::{OUTSIDE}:role/OrganizationAccountAccessRole", RoleSessionName="nope"))
    expect(code == "AccessDenied", code)
    code = error_code(lambda: client("sts").assume_role(RoleArn=f"arn:aws:iam::{PROD}:role/OrganizationAccountAccessRole", RoleSessionName="not a valid name!"))
    expect(code == "ValidationError", code)
    return code


print(json.dumps({"steps": steps}, indent=2))
sys.exit(1 if any(s["status"] == "failed" for s in steps) else 0)
