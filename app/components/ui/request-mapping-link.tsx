import Link from "next/link";

/** "Request mapping": opens the new-request form pre-filled (the form checks every value against the inventory). */
export function RequestMappingLink({ cluster, namespace, serviceAccount, roleArn, className = "text-xs text-indigo-700 hover:underline" }: { cluster?: string; namespace?: string; serviceAccount?: string; roleArn?: string; className?: string }) {
  const params = new URLSearchParams(Object.entries({ cluster, namespace, serviceAccount, roleArn }).filter((e): e is [string, string] => !!e[1]));
  return (
    <Link href={`/requests/new?${params}`} className={className} data-testid="request-mapping">
      Request mapping
    </Link>
  );
}
