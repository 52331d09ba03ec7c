import "server-only";
// What the /bluegreen page reads: the pairs and retired issuers of the latest scan.
import { getPrisma } from "@/lib/db";
import { loadBlueGreen, type BlueGreenOverview } from "./service";

export async function blueGreenView(): Promise<BlueGreenOverview> {
  return loadBlueGreen(await getPrisma());
}
