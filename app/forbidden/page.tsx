export default async function Forbidden({ searchParams }: { searchParams: Promise<{ need?: string }> }) {
  const { need } = await searchParams;
  return (
    <section className="max-w-xl">
      <h1 className="mb-2 text-2xl font-semibold">Not allowed</h1>
      <p className="text-slate-700">
        Your role does not include {need ? <code>{need}</code> : "this"}. If you need it, ask a RoleGate admin to change your role.
      </p>
    </section>
  );
}
