"use client";
// The rows of a /drift section, rendered from compact row data: as server
// components each row sent its element tree in the page's RSC payload besides
// its HTML (about half of a 50-row page at issue 15's size); as props of one
// client component they send the values only, and the server renders the same HTML.
import { Arn } from "../components/ui/arn";
import { DriftActions } from "./drift-actions";

export interface ShownState {
  roleArn: string;
  targetRoleArn: string | null;
  associationId: string | null;
}

export interface DriftRowData {
  key: string;
  cluster: string;
  namespace: string;
  serviceAccount: string;
  approved?: ShownState;
  actual?: ShownState;
  differences: string[];
  actions: string[];
}

function State({ s }: { s?: ShownState }) {
  if (!s) return <span className="text-slate-500">none</span>;
  return (
    <span className="text-xs">
      <Arn arn={s.roleArn} />
      {s.targetRoleArn ? <> {"->"} <Arn arn={s.targetRoleArn} /></> : ""}
      {s.associationId ? <span className="block text-slate-500">{s.associationId}</span> : null}
    </span>
  );
}

export function DriftRows({ rows, allowed }: { rows: DriftRowData[]; allowed: boolean }) {
  return rows.map((f) => (
    <tr key={f.key} className="align-top">
      <td className="px-3 py-2">{f.cluster}</td>
      <td className="px-3 py-2 font-mono text-xs">{f.namespace}/{f.serviceAccount}</td>
      <td className="px-3 py-2"><State s={f.approved} /></td>
      <td className="px-3 py-2"><State s={f.actual} /></td>
      <td className="px-3 py-2 text-xs">{f.differences.join("; ")}</td>
      <td className="px-3 py-2">
        <DriftActions findingKey={f.key} actions={f.actions} allowed={allowed} />
      </td>
    </tr>
  ));
}
