// ABAC permission-policy example: one role shared by many Pod Identity
// associations, each session confined to its namespace's prefix through the
// session tag EKS sets (aws:PrincipalTag/kubernetes-namespace).
import type { RawPolicy } from "./policy-json";

export interface AbacExampleOptions {
  bucket: string;
  /** Also key on the service account ("<namespace>/<sa>/..."). */
  perServiceAccount?: boolean;
}

export function abacPermissionPolicyExample(opts: AbacExampleOptions): RawPolicy {
  const prefix = opts.perServiceAccount
    ? "${aws:PrincipalTag/kubernetes-namespace}/${aws:PrincipalTag/kubernetes-service-account}"
    : "${aws:PrincipalTag/kubernetes-namespace}";
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ObjectsOfOwnNamespace",
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
        Resource: `arn:aws:s3:::${opts.bucket}/${prefix}/*`,
      },
      {
        Sid: "ListOwnNamespacePrefix",
        Effect: "Allow",
        Action: "s3:ListBucket",
        Resource: `arn:aws:s3:::${opts.bucket}`,
        Condition: { StringLike: { "s3:prefix": [`${prefix}/*`] } },
      },
    ],
  };
}
