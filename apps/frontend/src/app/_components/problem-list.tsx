/** A form's problems, one sentence each, announced when they appear; nothing when there are none. */
export function ProblemList({ id, problems }: { id?: string; problems: string[] }) {
  if (problems.length === 0) return null;
  return (
    <div id={id} className="error" role="alert">
      {problems.map((problem) => (
        <p key={problem}>{problem}</p>
      ))}
    </div>
  );
}
