import "server-only";
import { redirect } from "next/navigation";
import { currentUser } from "./authenticate";
import { can, type Permission } from "./permissions";
import type { SessionUser } from "./sessions";

/** For pages: the signed-in user, or a redirect to sign-in. Actions check on their own. */
export async function requireUser(permission?: Permission): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect("/signin");
  if (permission && !can(user.role, permission)) redirect(`/forbidden?need=${encodeURIComponent(permission)}`);
  return user;
}
