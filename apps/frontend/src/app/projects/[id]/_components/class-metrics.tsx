import type { ModelVersion } from '@foreman/contracts';
import { percent } from '@/lib/percent';

/**
 * A ratio, or a dash saying why there is none: 0/0 is unknown, and "0 %" would read as the model being
 * wrong on every item of the class.
 */
function Ratio({ value, unknownBecause }: { value: number | null; unknownBecause: string }) {
  if (value !== null) return <>{percent(value)}</>;
  return (
    <>
      — <span className="stat-note">{unknownBecause}</span>
    </>
  );
}

/** How the model does on each class, on the labelled items it was evaluated on (not trained on). */
export function ClassMetricsTable({ model }: { model: ModelVersion }) {
  return (
    <div className="table-scroll">
      <table data-testid="class-metrics">
        <caption className="small">
          v{model.version}, on labelled items it did not train on ({model.metrics.evaluation})
        </caption>
        <thead>
          <tr>
            <th scope="col">Class</th>
            <th scope="col" className="number">
              Held-out items
            </th>
            <th scope="col" className="number">
              Precision
            </th>
            <th scope="col" className="number">
              Recall
            </th>
          </tr>
        </thead>
        <tbody>
          {model.metrics.perClass.map((entry) => (
            <tr key={entry.className}>
              <td>{entry.className}</td>
              <td className="number">{entry.support}</td>
              <td className="number">
                <Ratio value={entry.precision} unknownBecause="never predicted" />
              </td>
              <td className="number">
                <Ratio value={entry.recall} unknownBecause="no held-out items of this class yet" />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
