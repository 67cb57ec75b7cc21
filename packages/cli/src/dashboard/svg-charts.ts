import type { SafeHtml } from './html.js';
import { html } from './html.js';

/** The colour family of a bar: a run's outcome. */
export type Tone = 'success' | 'failed' | 'retrying' | 'pending' | 'other';

export interface Bar {
  /** The bar's tooltip (an SVG `<title>`), e.g. the run's time and id. */
  readonly label: string;
  readonly value: number;
  readonly tone: Tone;
}

export interface ChartOptions {
  readonly title: string;
  readonly bars: readonly Bar[];
  readonly format: (value: number) => string;
  /** Under the first and the last bar (the time range). */
  readonly firstLabel?: string;
  readonly lastLabel?: string;
}

const WIDTH = 360;
const HEIGHT = 150;
const TOP = 22;
const BOTTOM = 20;
const LEFT = 8;

/** An inline SVG bar chart, bars in the given order (oldest first), coloured by tone. */
export function barChart(options: ChartOptions): SafeHtml {
  const { bars } = options;
  const max = Math.max(0, ...bars.map((bar) => bar.value));
  const plotWidth = WIDTH - 2 * LEFT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const step = bars.length === 0 ? plotWidth : plotWidth / bars.length;
  const barWidth = Math.max(1, Math.min(28, step * 0.8));
  const shapes = bars.map((bar, index) => {
    const height = max === 0 ? 0 : Math.max(1, (bar.value / max) * plotHeight);
    const x = LEFT + index * step + (step - barWidth) / 2;
    const y = TOP + plotHeight - height;
    return html`<rect
      class="bar tone-${bar.tone}"
      x="${x.toFixed(1)}"
      y="${y.toFixed(1)}"
      width="${barWidth.toFixed(1)}"
      height="${height.toFixed(1)}"
      ><title>${bar.label}: ${options.format(bar.value)}</title></rect
    >`;
  });
  return html`<figure class="chart">
    <svg
      xmlns="http://www.w3.org/2000/svg"
      viewBox="0 0 ${WIDTH} ${HEIGHT}"
      width="${WIDTH}"
      height="${HEIGHT}"
      role="img"
      aria-label="${options.title}"
      data-chart="${options.title}"
      data-bars="${bars.length}"
    >
      <text class="chart-title" x="${LEFT}" y="14">${options.title}</text>
      <text class="axis" x="${WIDTH - LEFT}" y="14" text-anchor="end">max ${options.format(max)}</text>
      <line
        class="baseline"
        x1="${LEFT}"
        x2="${WIDTH - LEFT}"
        y1="${TOP + plotHeight}"
        y2="${TOP + plotHeight}"
      />
      ${shapes}${bars.length === 0 ? html`<text class="axis" x="${WIDTH / 2}" y="${TOP + plotHeight / 2}" text-anchor="middle">no runs</text>` : ''}
      <text class="axis" x="${LEFT}" y="${HEIGHT - 5}">${options.firstLabel ?? ''}</text>
      <text class="axis" x="${WIDTH - LEFT}" y="${HEIGHT - 5}" text-anchor="end">
        ${options.lastLabel ?? ''}
      </text>
    </svg>
  </figure>`;
}

export interface CountBar {
  readonly label: string;
  readonly value: number;
}

/** An inline SVG horizontal bar chart of counts (e.g. failures per error code), largest first. */
export function countChart(title: string, bars: readonly CountBar[]): SafeHtml {
  const rowHeight = 22;
  const labelWidth = 220;
  const height = TOP + Math.max(1, bars.length) * rowHeight + 4;
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  const rows = bars.map((bar, index) => {
    const y = TOP + index * rowHeight;
    const width = (bar.value / max) * (WIDTH * 1.5 - labelWidth - 40);
    return html`<g class="count-row"
      ><text class="axis" x="${labelWidth - 6}" y="${y + 15}" text-anchor="end">${bar.label}</text
      ><rect
        class="bar tone-failed"
        x="${labelWidth}"
        y="${y + 4}"
        width="${Math.max(1, width).toFixed(1)}"
        height="${rowHeight - 8}"
        ><title>${bar.label}: ${bar.value}</title></rect
      ><text class="axis" x="${(labelWidth + Math.max(1, width) + 4).toFixed(1)}" y="${y + 15}"
        >${bar.value}</text
      ></g
    >`;
  });
  return html`<figure class="chart">
    <svg
      xmlns="http://www.w3.org/2000/svg"
      viewBox="0 0 ${WIDTH * 1.5} ${height}"
      width="${WIDTH * 1.5}"
      height="${height}"
      role="img"
      aria-label="${title}"
      data-chart="${title}"
      data-bars="${bars.length}"
    >
      <text class="chart-title" x="${LEFT}" y="14">${title}</text>
      ${rows}${bars.length === 0 ? html`<text class="axis" x="${LEFT}" y="${TOP + 15}">none</text>` : ''}
    </svg>
  </figure>`;
}
