"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { signInDemoUser } from "@/lib/actions/sign-in-demo-user";

export function DemoSignIn({ users }: { users: { login: string; name: string; role: string; title: string }[] }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <div>
      {error && <p role="alert" className="mb-3 rounded bg-red-50 p-3 text-sm text-red-800">{error}</p>}
      <ul className="divide-y divide-slate-200 rounded border border-slate-200 bg-white">
        {users.map((u) => (
          <li key={u.login} className="flex items-center justify-between p-3">
            <div>
              <div className="font-medium">{u.name}</div>
              <div className="text-xs text-slate-500">{u.title} · role {u.role}</div>
            </div>
            <button
              type="button"
              disabled={pending}
              aria-label={`Sign in as ${u.login}`}
              onClick={() =>
                start(async () => {
                  const result = await signInDemoUser({ login: u.login });
                  if (!result.ok) return setError(result.error.message);
                  router.push("/");
                  router.refresh();
                })
              }
              className="rounded bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500 disabled:opacity-50"
            >
              Sign in as {u.login}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
