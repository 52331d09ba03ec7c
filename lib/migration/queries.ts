import "server-only";
// What the /migration page reads: the IRSA service accounts of the latest scan.
import { getPrisma } from "@/lib/db";
import { migrationOverview } from "./service";

export async function migrationView() {
  return migrationOverview(await getPrisma());
}
