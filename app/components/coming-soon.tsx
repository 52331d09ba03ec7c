export function ComingSoon({ title, what }: { title: string; what: string }) {
  return (
    <section>
      <h1 className="mb-2 text-2xl font-semibold">{title}</h1>
      <p className="rounded border border-dashed border-slate-300 bg-white p-6 text-slate-600">
        Coming soon: {what}
      </p>
    </section>
  );
}
