// The change-events queue (SQS, fed by an EventBridge rule with CloudTrail's
// management events): long-poll receive, delete once processed, change a
// message's visibility (retry sooner, or keep it while it is worked on), and
// the queue's backlog. Plain data out; SDK errors become AwsCallError.
import { ChangeMessageVisibilityCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import type { AwsClientPool } from "./clients";
import { awsCall } from "./errors";

export interface QueueMessage {
  messageId: string;
  receiptHandle: string;
  body: string;
  /** How many times SQS has handed this message out (1 on the first receive). */
  receiveCount: number;
}

/** The region of a queue URL (https://sqs.<region>.amazonaws.com/<account>/<name>); a custom endpoint's queue: `fallback`. */
export function queueRegion(queueUrl: string, fallback = "us-east-1"): string {
  return /^https:\/\/sqs[.-]([a-z0-9-]+)\.amazonaws\.com(\.cn)?\//.exec(queueUrl)?.[1] ?? fallback;
}

export class EventsQueueGateway {
  constructor(
    private readonly pool: AwsClientPool,
    readonly queueUrl: string,
    private readonly region = queueRegion(queueUrl),
  ) {}

  private get sqs() {
    return this.pool.sqsFor(this.region);
  }

  /** Waits up to `waitSeconds` (long polling) for up to `max` messages; `signal` ends the wait early. */
  async receive(opts: { waitSeconds: number; max: number; visibilitySeconds?: number; signal?: AbortSignal }): Promise<QueueMessage[]> {
    const out = await awsCall("ReceiveMessage", () =>
      this.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: this.queueUrl,
          WaitTimeSeconds: opts.waitSeconds,
          MaxNumberOfMessages: opts.max,
          ...(opts.visibilitySeconds !== undefined ? { VisibilityTimeout: opts.visibilitySeconds } : {}),
          MessageSystemAttributeNames: ["ApproximateReceiveCount"],
        }),
        { abortSignal: opts.signal },
      ),
    );
    return (out.Messages ?? []).flatMap((m) =>
      m.MessageId && m.ReceiptHandle ? [{ messageId: m.MessageId, receiptHandle: m.ReceiptHandle, body: m.Body ?? "", receiveCount: Number(m.Attributes?.ApproximateReceiveCount ?? 1) || 1 }] : [],
    );
  }

  async delete(receiptHandle: string): Promise<void> {
    await awsCall("DeleteMessage", () => this.sqs.send(new DeleteMessageCommand({ QueueUrl: this.queueUrl, ReceiptHandle: receiptHandle })));
  }

  /** Makes a received message visible again after `seconds` (0: at once). */
  async changeVisibility(receiptHandle: string, seconds: number): Promise<void> {
    await awsCall("ChangeMessageVisibility", () =>
      this.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: this.queueUrl, ReceiptHandle: receiptHandle, VisibilityTimeout: seconds })),
    );
  }

  /** Messages waiting and in flight (the backlog); also proves the queue is reachable. */
  async backlog(): Promise<{ visible: number; inFlight: number }> {
    const out = await awsCall("GetQueueAttributes", () =>
      this.sqs.send(new GetQueueAttributesCommand({ QueueUrl: this.queueUrl, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] })),
    );
    return { visible: Number(out.Attributes?.ApproximateNumberOfMessages ?? 0), inFlight: Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0) };
  }
}
