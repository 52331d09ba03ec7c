// The trust a role born behind approval gets: EKS Pod Identity only
// (pods.eks.amazonaws.com, AssumeRole + TagSession), and only from the account's
// clusters this request maps it on (aws:SourceAccount, aws:SourceArn), so no
// other association in the account can use it.

export function clusterArn(accountId: string, region: string, cluster: string): string {
  return `arn:aws:eks:${region}:${accountId}:cluster/${cluster}`;
}

export function podIdentityTrust(accountId: string, clusterArns: string[]): string {
  const arns = [...new Set(clusterArns)].sort();
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "EksPodIdentity",
        Effect: "Allow",
        Principal: { Service: "pods.eks.amazonaws.com" },
        Action: ["sts:AssumeRole", "sts:TagSession"],
        Condition: { StringEquals: { "aws:SourceAccount": accountId }, ArnEquals: { "aws:SourceArn": arns.length === 1 ? arns[0] : arns } },
      },
    ],
  });
}
