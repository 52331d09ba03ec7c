// Slack-compatible webhook ({text, blocks?}), URL from ROLEGATE_WEBHOOK_URL.
// Sent by the job runner, outside any transaction; a failure makes the job retry.
export interface Notification {
  event: string;
  requestId: string;
  text: string;
  /** The page the notice links to (default: the request's page). */
  path?: string;
}

/**
 * Slack reads `<!channel>`, `<@U123>` and `<http://x|label>` in message text as
 * mentions and links. Notices carry text people typed (justifications, reasons,
 * names), so every part of it is escaped as Slack documents: & < > become
 * &amp; &lt; &gt;. Only RoleGate's own link below stays a link.
 */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export function webhookBody(n: Notification, baseUrl?: string) {
  const target = `${baseUrl}${n.path ?? `/requests/${encodeURIComponent(n.requestId)}`}`;
  const link = baseUrl ? ` <${escapeSlack(target).replace(/\|/g, "%7C")}|open>` : "";
  return {
    text: `RoleGate ${escapeSlack(n.event)}: ${escapeSlack(n.text)}${link}`,
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
