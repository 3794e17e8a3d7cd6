'use client';

import { useEffect, useRef } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { ModelVersion, ProgressResponse } from '@foreman/contracts';
import { count } from '@/lib/plural';

const INK = '#1f3a5f';
const ACCENT = '#0b6e4f';
const GRID = '#d6dae0';

/**
 * Recharts draws each layer (grid, bars, axes…) into a `<g>` that React listens on as a portal target, and
 * Chromium gives a tab stop to any SVG element with focus listeners: four or five empty stops per chart.
 * An explicit tabindex="-1" takes them out of the tab order (layers come and go with the data, hence the
 * observer).
 */
function useNoTabStopsInLayers(frame: React.RefObject<HTMLDivElement | null>) {
  useEffect(() => {
    const element = frame.current;
    if (!element) return;
    const untab = () => {
      for (const layer of element.querySelectorAll('g[class^="recharts-zIndex-layer"]:not([tabindex])')) {
        layer.setAttribute('tabindex', '-1');
      }
    };
    untab();
    const observer = new MutationObserver(untab);
    observer.observe(element, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, [frame]);
}

/**
 * A chart as one image named by `label`. Its chart turns Recharts' keyboard layer off (`accessibilityLayer`):
 * it made each chart an unnamed "application" that Tab stopped in, point by point, between the page's controls.
 */
function ChartFrame({ label, children }: { label: string; children: React.ReactElement }) {
  const frame = useRef<HTMLDivElement>(null);
  useNoTabStopsInLayers(frame);
  return (
    <div className="chart" role="img" aria-label={label} ref={frame}>
      <ResponsiveContainer width="100%" height="100%">
        {children}
      </ResponsiveContainer>
    </div>
  );
}

/** Labels given per hour (bars) and the running total (line). */
export function TimelineChart({ timeline }: { timeline: ProgressResponse['timeline'] }) {
  if (timeline.length === 0) return <p className="muted">No labels yet.</p>;
  let total = 0;
  const data = timeline.map((bucket) => {
    total += bucket.labels;
    const at = new Date(bucket.at);
    return {
      at: at.toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }),
      labels: bucket.labels,
      total,
    };
  });
  return (
    <ChartFrame label={`Labels over time: ${total} in total over ${data.length} hour${data.length === 1 ? '' : 's'}`}>
      <ComposedChart data={data} accessibilityLayer={false} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
        <CartesianGrid stroke={GRID} strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="at" tick={{ fontSize: 12 }} />
        <YAxis allowDecimals={false} tick={{ fontSize: 12 }} />
        <Tooltip />
        {/* Legend text in ink: the light bar colour alone would be too faint to read. */}
        <Legend wrapperStyle={{ fontSize: 12 }} formatter={(value) => <span style={{ color: '#1b1f24' }}>{value}</span>} />
        <Bar dataKey="labels" name="labels in the hour" fill="#8fa9c9" maxBarSize={48} isAnimationActive={false} />
        <Line type="linear" dataKey="total" name="total" stroke={INK} strokeWidth={2} dot isAnimationActive={false} />
      </ComposedChart>
    </ChartFrame>
  );
}

export function ClassDistributionChart({
  classes,
  distribution,
}: {
  classes: readonly string[];
  distribution: ProgressResponse['classDistribution'];
}) {
  const counts = new Map(distribution.map((entry) => [entry.className, entry.count]));
  const data = classes.map((className) => ({ className, count: counts.get(className) ?? 0 }));
  const summary = data.map((entry) => `${entry.className}: ${entry.count}`).join(', ');
  return (
    <ChartFrame label={`Labels per class. ${summary}`}>
      <BarChart data={data} accessibilityLayer={false} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
        <CartesianGrid stroke={GRID} strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="className" tick={{ fontSize: 12 }} interval={0} />
        <YAxis allowDecimals={false} tick={{ fontSize: 12 }} />
        <Tooltip />
        <Bar dataKey="count" name="labels" fill={INK} isAnimationActive={false} />
      </BarChart>
    </ChartFrame>
  );
}

/**
 * Accuracy against the number of labels each version was trained on (docs/items.md: which versions), drawn
 * in training order: labels taken back make a later version's count smaller, and sorting by count would
 * then draw an old model among the new ones.
 */
export function LearningCurveChart({ models }: { models: readonly ModelVersion[] }) {
  if (models.length === 0) return <p className="muted">No model trained yet.</p>;
  const data = [...models]
    .sort((a, b) => a.version - b.version)
    .map((model) => ({
      labels: model.labelCount,
      accuracy: Math.round(model.metrics.accuracy * 1000) / 10,
      version: model.version,
    }));
  const last = data[data.length - 1];
  // (the API thins a long history to a few hundred versions; versions are numbered 1, 2, … per project)
  const trained = Math.max(...models.map((model) => model.version));
  const shown = data.length === trained ? count(trained, 'version') : `${data.length} of ${count(trained, 'version')}`;
  return (
    <ChartFrame
      label={`Learning curve: ${shown}; latest ${last ? `${last.accuracy}% after ${count(last.labels, 'label')}` : ''}`}
    >
      <LineChart data={data} accessibilityLayer={false} margin={{ top: 8, right: 16, bottom: 20, left: 0 }}>
        <CartesianGrid stroke={GRID} strokeDasharray="3 3" />
        <XAxis
          dataKey="labels"
          type="number"
          domain={['dataMin', 'dataMax']}
          allowDecimals={false}
          tick={{ fontSize: 12 }}
          label={{ value: 'labels', position: 'insideBottom', offset: -12, fontSize: 12 }}
        />
        <YAxis domain={[0, 100]} unit="%" tick={{ fontSize: 12 }} />
        <Tooltip formatter={(value) => [`${String(value)}%`, 'accuracy']} labelFormatter={(value) => count(Number(value), 'label')} />
        <Line type="linear" dataKey="accuracy" stroke={ACCENT} strokeWidth={2} dot isAnimationActive={false} />
      </LineChart>
    </ChartFrame>
  );
}
