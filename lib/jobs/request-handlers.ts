// The job handlers of the request workflow, wired to their dependencies.
import { applyRequest, type ApplyDeps } from "@/lib/requests/apply-request";
import { expireRequests } from "@/lib/requests/expire-requests";
import { JobRunner, type RunnerOptions } from "./runner";
import { sendWebhook, type Notification } from "./webhook";

export function createRequestRunner(deps: ApplyDeps, options: RunnerOptions = {}, notify = sendWebhook): JobRunner {
  return new JobRunner(
    deps.prisma,
    {
      "apply-request": async (job) => {
        await applyRequest(deps, String(job.payload.requestId));
      },
      notify: async (job) => {
        await notify(job.payload as unknown as Notification);
      },
    },
    { onTick: () => expireRequests({ prisma: deps.prisma }), ...options },
  );
}
