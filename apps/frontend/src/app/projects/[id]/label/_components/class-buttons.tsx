/** One button per class, with its key; a multi-label project's buttons toggle (aria-pressed). */
export function ClassButtons({
  classes,
  keys,
  multiLabel,
  selected,
  disabled,
  onChoose,
}: {
  classes: readonly string[];
  keys: readonly (string | null)[];
  multiLabel: boolean;
  selected: readonly string[];
  disabled: boolean;
  onChoose: (className: string) => void;
}) {
  return (
    <div
      className="class-buttons"
      role="group"
      aria-label={multiLabel ? 'Classes (toggle, then Enter)' : 'Classes'}
    >
      {classes.map((className, index) => {
        const key = keys[index];
        return (
          <button
            key={className}
            type="button"
            className="class-button"
            aria-pressed={multiLabel ? selected.includes(className) : undefined}
            aria-keyshortcuts={key ?? undefined}
            disabled={disabled}
            onClick={() => onChoose(className)}
          >
            {key && <kbd>{key.toUpperCase()}</kbd>}
            <span>{className}</span>
          </button>
        );
      })}
    </div>
  );
}
