"""A Cleanroom monitoring client in Python, using only the project's .proto files.

Generate the client code first (see docs/interop.md):

    python3 -m grpc_tools.protoc -I<protos> --python_out=<gen> --grpc_python_out=<gen> \
        cleanroom/v1/*.proto grpc_health/v1/health.proto

then run, with <gen> on the module path:

    python3 status_client.py --gen <gen> --ca ca.crt --cert tls.crt --key tls.key \
        --party coordinator=127.0.0.1:7000 --party bank-a=127.0.0.1:7001 [--study ST] [--no-cert]

For every party it calls grpc.health.v1.Health/Check, cleanroom.v1.StudyStatus/List, Get for
--study and Get for a study id that does not exist, over mutual TLS, and prints one JSON object:
{"parties": {"<name>": {"health": ..., "list": ..., "get": ..., "unknown": ...}}}. A call that
fails is reported as {"error": "<status code name>", "details": "..."} instead of its answer.
With --no-cert the client presents no certificate of its own (only the CA to check the server).
"""

import argparse
import json
import sys


def call(fn):
    import grpc
    from google.protobuf import json_format

    try:
        reply = fn()
    except grpc.RpcError as e:
        return {"error": e.code().name, "details": e.details()}
    return json_format.MessageToDict(reply, preserving_proto_field_name=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gen", required=True, help="folder of the generated code")
    parser.add_argument("--ca", required=True, help="the consortium CA certificate (PEM)")
    parser.add_argument("--cert", help="this client's certificate (PEM)")
    parser.add_argument("--key", help="this client's private key (PEM, PKCS#8 or SEC1)")
    parser.add_argument("--party", action="append", default=[], help="name=host:port")
    parser.add_argument("--study", help="a study id to Get")
    parser.add_argument("--no-cert", action="store_true", help="present no client certificate")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per call")
    args = parser.parse_args()

    sys.path.insert(0, args.gen)
    import grpc
    from cleanroom.v1 import status_pb2, status_pb2_grpc
    from grpc_health.v1 import health_pb2, health_pb2_grpc

    def read(path):
        with open(path, "rb") as f:
            return f.read()

    if args.no_cert:
        credentials = grpc.ssl_channel_credentials(root_certificates=read(args.ca))
    else:
        credentials = grpc.ssl_channel_credentials(
            root_certificates=read(args.ca),
            private_key=read(args.key),
            certificate_chain=read(args.cert),
        )

    out = {"parties": {}}
    for spec in args.party:
        name, target = spec.split("=", 1)
        # Every party's certificate names the party (a DNS name), localhost and 127.0.0.1;
        # verifying against the party's name works wherever the party runs.
        options = [("grpc.ssl_target_name_override", name)]
        with grpc.secure_channel(target, credentials, options=options) as channel:
            health = health_pb2_grpc.HealthStub(channel)
            status = status_pb2_grpc.StudyStatusStub(channel)
            result = {
                "health": call(
                    lambda: health.Check(health_pb2.HealthCheckRequest(), timeout=args.timeout)
                )
            }
            if not args.no_cert:
                result["list"] = call(
                    lambda: status.List(status_pb2.ListStudiesRequest(), timeout=args.timeout)
                )
                if args.study:
                    result["get"] = call(
                        lambda: status.Get(
                            status_pb2.GetStudyRequest(study_id=args.study), timeout=args.timeout
                        )
                    )
                result["unknown"] = call(
                    lambda: status.Get(
                        status_pb2.GetStudyRequest(study_id="no-such-study"), timeout=args.timeout
                    )
                )
            out["parties"][name] = result
    json.dump(out, sys.stdout, indent=2, sort_keys=True)
    print()


if __name__ == "__main__":
    main()
