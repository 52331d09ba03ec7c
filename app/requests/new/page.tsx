import { requireUser } from "@/lib/auth/require-user";
import { NewRequestForm } from "./new-request-form";

export const dynamic = "force-dynamic";

export default async function NewRequestPage() {
  await requireUser("requests:create");
  return (
    <section className="max-w-3xl">
      <h1 className="mb-1 text-2xl font-semibold">New request</h1>
      <p className="mb-4 text-sm text-slate-600">Map a Kubernetes service account to an IAM role with an EKS Pod Identity association. The IAM team reviews it; RoleGate applies it once approved.</p>
      <NewRequestForm />
    </section>
  );
}
