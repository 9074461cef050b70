import { formatCompactRate } from "../../engine/format.js";

/** One measured level. */
export interface ProfilePoint {
  concurrency: number;
  itemsPerSecond: number;
}

const WIDTH = 264;
const HEIGHT = 132;
const PAD = { left: 40, right: 8, top: 8, bottom: 32 };

/** Round-ish tick values for the throughput axis. */
function niceMax(value: number): number {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 2.5, 5, 10].find((factor) => factor * magnitude >= value)!;
  return step * magnitude;
}

/**
 * Throughput against concurrency for one stage (x on a log₂ scale, as the levels double),
 * with the level where more stops helping marked. Plain SVG: a handful of points per stage.
 */
export function ProfileChart({
  stage,
  points,
  levels,
  saturatesAt,
}: {
  stage: string;
  points: ProfilePoint[];
  levels: number[];
  saturatesAt: number | null;
}) {
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const maxLevel = Math.max(2, ...levels);
  const x = (concurrency: number) => PAD.left + (Math.log2(concurrency) / Math.log2(maxLevel)) * plotW;
  const yMax = niceMax(Math.max(0, ...points.map((point) => point.itemsPerSecond)));
  const y = (rate: number) => PAD.top + plotH - (rate / yMax) * plotH;
  const path = points
    .map((point, index) => `${index === 0 ? "M" : "L"}${x(point.concurrency).toFixed(1)},${y(point.itemsPerSecond).toFixed(1)}`)
    .join(" ");
  const knee = points.find((point) => point.concurrency === saturatesAt);
  return (
    <svg
      className="profile-chart"
      width={WIDTH}
      height={HEIGHT}
      role="img"
      aria-label={`${stage}: items per second at each concurrency`}
      data-testid={`profile-chart-${stage}`}
    >
      {[0, 0.5, 1].map((fraction) => (
        <g key={fraction}>
          <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(yMax * fraction)} y2={y(yMax * fraction)} className="grid" />
          <text x={PAD.left - 4} y={y(yMax * fraction) + 3} textAnchor="end" className="tick">
            {formatCompactRate(yMax * fraction)}
          </text>
        </g>
      ))}
      {levels.map((level) => (
        <text key={level} x={x(level)} y={HEIGHT - 19} textAnchor="middle" className="tick">
          {level}
        </text>
      ))}
      <text x={PAD.left + (WIDTH - PAD.left - PAD.right) / 2} y={HEIGHT - 4} textAnchor="middle" className="axis-label">
        concurrency
      </text>
      {knee && <line x1={x(knee.concurrency)} x2={x(knee.concurrency)} y1={PAD.top} y2={PAD.top + plotH} className="knee" />}
      <path d={path} className="line" />
      {points.map((point) => (
        <circle
          key={point.concurrency}
          cx={x(point.concurrency)}
          cy={y(point.itemsPerSecond)}
          r={point === knee ? 4.5 : 3}
          className={point === knee ? "point knee-point" : "point"}
          data-concurrency={point.concurrency}
        >
          <title>{`concurrency ${point.concurrency}: ${formatCompactRate(point.itemsPerSecond)} items/s`}</title>
        </circle>
      ))}
    </svg>
  );
}
