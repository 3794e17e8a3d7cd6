'use client';

import { useLayoutEffect, useRef } from 'react';

/** The value that means full ink: 16 for the 8x8 digits (0..16), 1 for unit data, 255 for bytes. */
function inkScale(vector: readonly number[]): { low: number; high: number } {
  let low = Infinity;
  let high = -Infinity;
  for (const value of vector) {
    if (value < low) low = value;
    if (value > high) high = value;
  }
  if (low >= 0 && high <= 1) return { low: 0, high: 1 };
  if (low >= 0 && high <= 16) return { low: 0, high: 16 };
  if (low >= 0 && high <= 255) return { low: 0, high: 255 };
  return { low, high: high > low ? high : low + 1 };
}

/**
 * A vector drawn as a grid of its shape ([rows, cols], or [rows, cols, 3] for colour), one canvas pixel per
 * value, scaled up by CSS with image-rendering: pixelated so every cell stays crisp.
 */
export function PixelGrid({ vector, shape }: { vector: readonly number[]; shape: readonly number[] }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const rows = shape.length >= 2 ? (shape[0] ?? 1) : 1;
  const cols = shape.length >= 2 ? (shape[1] ?? vector.length) : (shape[0] ?? vector.length);
  const channels = shape.length === 3 && shape[2] === 3 ? 3 : 1;
  const stride = shape.length === 3 ? (shape[2] ?? 1) : 1;

  useLayoutEffect(() => {
    const context = canvas.current?.getContext('2d');
    if (!context) return;
    const { low, high } = inkScale(vector);
    const image = context.createImageData(cols, rows);
    for (let cell = 0; cell < rows * cols; cell += 1) {
      for (let channel = 0; channel < 3; channel += 1) {
        const value = vector[cell * stride + (channels === 3 ? channel : 0)] ?? low;
        const level = Math.round(((value - low) / (high - low)) * 255);
        // Greyscale is drawn as ink on paper (high values dark), colour as it is.
        image.data[cell * 4 + channel] = channels === 3 ? level : 255 - level;
      }
      image.data[cell * 4 + 3] = 255;
    }
    context.putImageData(image, 0, 0);
  }, [vector, rows, cols, channels, stride]);

  return (
    <canvas
      ref={canvas}
      className="pixel-grid"
      width={cols}
      height={rows}
      style={{ aspectRatio: `${cols} / ${rows}` }}
      role="img"
      aria-label={`${rows} by ${cols} pixel image`}
    />
  );
}
