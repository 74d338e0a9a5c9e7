/** Problems of a node or edge, as the server or the panel reported them; rendered as text. */
export function IssueList({ issues }: { issues: readonly string[] | undefined }) {
  if (!issues?.length) return null;
  return (
    <ul className="space-y-0.5 rounded-md border border-danger/30 bg-danger-soft px-2 py-1.5">
      {issues.map((m, i) => (
        <li key={i} className="text-xs text-danger">
          {m}
        </li>
      ))}
    </ul>
  );
}
