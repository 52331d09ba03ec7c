import "server-only";
// What the role page reads: the tightened-trust preview, or why it cannot be shown.
import { getPrisma } from "@/lib/db";
import { runtime } from "@/lib/runtime";
import { previewTightenedTrust, type TightenPreview } from "./preview";

export async function tightenedTrustView(roleArn: string): Promise<{ preview: TightenPreview } | { error: string }> {
  try {
    return { preview: await previewTightenedTrust(runtime().requestsDeps(await getPrisma()), roleArn) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}
