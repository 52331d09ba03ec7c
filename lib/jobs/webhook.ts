// Slack-compatible webhook ({text, blocks?}), URL from ROLEGATE_WEBHOOK_URL.
// Sent by the job runner, outside any transaction; a failure makes the job retry.
export interface Notification {
  event: string;
  requestId: string;
  text: string;
}

export function webhookBody(n: Notification, baseUrl?: string) {
  const link = baseUrl ? ` <${baseUrl}/requests/${n.requestId}|open>` : "";
  return {
    text: `RoleGate ${n.event}: ${n.text}${link}`,
    rolegate: { event: n.event, requestId: n.requestId },
  };
}

export async function sendWebhook(n: Notification, url = process.env.ROLEGATE_WEBHOOK_URL, baseUrl = process.env.ROLEGATE_PUBLIC_URL): Promise<boolean> {
  return postWebhook(webhookBody(n, baseUrl), url);
}

/** Posts a Slack-compatible body ({text, ...}); false when no webhook is configured. */
export async function postWebhook(body: { text: string } & Record<string, unknown>, url = process.env.ROLEGATE_WEBHOOK_URL): Promise<boolean> {
  if (!url) return false;
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`webhook answered ${res.status}`);
  return true;
}
