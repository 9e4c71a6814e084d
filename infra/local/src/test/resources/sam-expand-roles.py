"""The execution role the SAM transform (aws-sam-translator) writes for each function of a template.

Usage: python3 sam-expand-roles.py TEMPLATE [PARAMETERS_JSON]
Prints {"<Function>": {"ManagedPolicyArns": [...], "Policies": [{"PolicyName", "PolicyDocument"} | Fn::If]}} as
JSON. SamExpansionTest compares it with the local cloud's own expansion (ExecutionRoles.samRole). CodeUri values
become S3 placeholders, and AWS::LanguageExtensions is dropped (the SAM transform alone does not evaluate it).
"""
import json, os, sys
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
from samtranslator.yaml_helper import yaml_parse
from samtranslator.translator.transform import transform
class Loader:
    def load(self): return {}
template = yaml_parse(open(sys.argv[1]).read())
t = template.get("Transform")
if isinstance(t, list): template["Transform"] = [x for x in t if x != "AWS::LanguageExtensions"][0]
for r in template.get("Resources", {}).values():
    if r.get("Type") == "AWS::Serverless::Function":
        r.setdefault("Properties", {})["CodeUri"] = "s3://bucket/key.zip"
    for a in ("DeletionPolicy", "UpdateReplacePolicy"):
        if not isinstance(r.get(a, ""), str): r[a] = "Retain"
g = template.get("Globals", {}).get("Function", {})
if "CodeUri" in g: g["CodeUri"] = "s3://bucket/key.zip"
params = json.loads(sys.argv[2]) if len(sys.argv) > 2 else {}
out = transform(template, params, Loader())
roles = {}
for rid, r in out["Resources"].items():
    if r["Type"] == "AWS::Lambda::Function":
        role = r["Properties"]["Role"]
        if isinstance(role, dict) and "Fn::GetAtt" in role:
            rr = out["Resources"][role["Fn::GetAtt"][0]]["Properties"]
            roles[rid] = {"ManagedPolicyArns": rr.get("ManagedPolicyArns", []), "Policies": rr.get("Policies", [])}
print(json.dumps(roles))
