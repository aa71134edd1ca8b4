"""A long-lived boto3 program, as Python tools are: one Session, an STS call every `interval` seconds
for `seconds`, then one JSON line of what it saw. Counts the credential_process runs botocore
starts itself (an audit hook on subprocess.Popen), so nothing stands between botocore and awsl.

Usage: python3 consumer.py '{"endpoint": URL, "seconds": S, "interval": I, "profile": P or null}'
"""
import json
import sys
import time

spawns = 0


def count_spawns(event, args):
    global spawns
    if event == 'subprocess.Popen' and any('credential-process' in str(word) for word in (args[1] or [])):
        spawns += 1


sys.addaudithook(count_spawns)

import boto3  # noqa: E402  (after the hook, so no spawn can be missed)


def main():
    config = json.loads(sys.argv[1])
    session = boto3.Session(profile_name=config.get('profile'))
    sts = session.client('sts', endpoint_url=config['endpoint'], region_name='us-east-1')
    calls = []
    deadline = time.monotonic() + config['seconds']
    while time.monotonic() < deadline:
        identity = sts.get_caller_identity()
        # The client signs with the session's own credentials object: what it holds now is what it used.
        credentials = session.get_credentials()
        frozen = credentials.get_frozen_credentials()
        calls.append({
            'at': time.time(), 'accessKeyId': frozen.access_key, 'arn': identity['Arn'],
            'accountId': getattr(frozen, 'account_id', None),
        })
        time.sleep(config['interval'])
    print(json.dumps({'spawns': spawns, 'method': session.get_credentials().method, 'calls': calls}))


main()
