// Where to write a point's label so that no two labels, no label and another point, and no label and
// the chart's edge ever meet: candidate spots around the point, nearest first, the first free one
// wins. Boxes are { x, y, w, h } in the chart's own pixels (the chart is drawn at its shown size).

const GAP = 2; // clear space kept between a label and anything else, px
const CLEAR = 10; // clear space kept between a label and any point but its own, px
// Beyond the first ring every spot of the chart is tried, this many px apart, nearest first, with a
// leader line back to the point.
const STEP = 4;
// Orders of the labels tried before a label is given up (each try places every label once).
const ATTEMPTS = 40;

export function intersects(a, b, gap = 0) {
  return a.x < b.x + b.w + gap && b.x < a.x + a.w + gap && a.y < b.y + b.h + gap && b.y < a.y + a.h + gap;
}

function inside(box, bounds) {
  return box.x >= bounds.x && box.y >= bounds.y && box.x + box.w <= bounds.x + bounds.w && box.y + box.h <= bounds.y + bounds.h;
}

// Whether the segment p→q crosses a box (Liang–Barsky clipping): a leader line must not run
// through another label.
function crosses(p, q, box) {
  const d = { x: q.x - p.x, y: q.y - p.y };
  let t0 = 0;
  let t1 = 1;
  const edges = [
    [-d.x, p.x - box.x],
    [d.x, box.x + box.w - p.x],
    [-d.y, p.y - box.y],
    [d.y, box.y + box.h - p.y],
  ];
  for (const [pe, qe] of edges) {
    if (pe === 0) {
      if (qe < 0) return false;
      continue;
    }
    const r = qe / pe;
    if (pe < 0) t0 = Math.max(t0, r);
    else t1 = Math.min(t1, r);
    if (t0 > t1) return false;
  }
  return true;
}

// The first ring: beside, above and below the point, with the label's near edge `off` px away.
function firstRing(pt, w, h, off) {
  return [
    { x: pt.x + off, y: pt.y - h / 2 },
    { x: pt.x - off - w, y: pt.y - h / 2 },
    { x: pt.x + off, y: pt.y - off - h },
    { x: pt.x - off - w, y: pt.y - off - h },
    { x: pt.x - w / 2, y: pt.y - off - h },
    { x: pt.x + off, y: pt.y + off },
    { x: pt.x - off - w, y: pt.y + off },
    { x: pt.x - w / 2, y: pt.y + off },
  ];
}

// Farther spots: every position of the label on a grid over the bounds, nearest to the point first.
function grid(pt, w, h, bounds) {
  const out = [];
  for (let x = bounds.x; x + w <= bounds.x + bounds.w; x += STEP) {
    for (let y = bounds.y; y + h <= bounds.y + bounds.h; y += STEP) {
      out.push({ x, y, leader: true, d: distance(pt, { x, y, w, h }) });
    }
  }
  return out.sort((a, b) => a.d - b.d);
}

// The point on a box's edge nearest to pt: where a leader line ends.
function nearestOnBox(pt, box) {
  return {
    x: Math.min(Math.max(pt.x, box.x), box.x + box.w),
    y: Math.min(Math.max(pt.y, box.y), box.y + box.h),
  };
}

function distance(pt, box) {
  const near = nearestOnBox(pt, box);
  return Math.hypot(near.x - pt.x, near.y - pt.y);
}

function placeInOrder(items, order, spotsOf, { obstacles, lines, points, radius }, clear) {
  const taken = [...obstacles];
  const dots = points.map((p) => ({ x: p.x - radius, y: p.y - radius, w: 2 * radius, h: 2 * radius }));
  const leaders = [...lines];
  const out = items.map(() => null);
  for (const i of order) {
    const item = items[i];
    // Leader lines keep half the clear space from other points, so as not to seem to end there.
    const others = points
      .filter((p) => p.x !== item.x || p.y !== item.y)
      .map((p) => ({ x: p.x - radius - clear / 2, y: p.y - radius - clear / 2, w: 2 * radius + clear, h: 2 * radius + clear }));
    for (const c of spotsOf[i]) {
      const box = { x: c.x, y: c.y, w: item.w, h: item.h };
      if (taken.some((b) => intersects(box, b, GAP)) || dots.some((d) => intersects(box, d, GAP))) continue;
      if (leaders.some(([p, q]) => crosses(p, q, box))) continue;
      // A label right beside another point, or (without a leader line) nearer to another point than
      // to its own, would be read as that point's.
      const own = c.leader ? 0 : distance(item, box);
      if (points.some((p) => (p.x !== item.x || p.y !== item.y) && distance(p, box) <= Math.max(own, clear))) continue;
      let leader = null;
      if (c.leader) {
        const end = nearestOnBox(item, box);
        const len = Math.hypot(end.x - item.x, end.y - item.y);
        const start = { x: item.x + ((end.x - item.x) / len) * radius, y: item.y + ((end.y - item.y) / len) * radius };
        if ([...taken, ...others].some((b) => crosses(start, end, b))) continue;
        leader = { x1: start.x, y1: start.y, x2: end.x, y2: end.y };
        leaders.push([start, end]);
      }
      taken.push(box);
      out[i] = { x: box.x, y: box.y, leader };
      break;
    }
  }
  return out;
}

// A fixed sequence of pseudo-random numbers (mulberry32), so that one answer is always drawn the same.
function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Place every label: first in the order given; while some find no room, again with those first (a
 * label placed early can take the only spot a later one had), then in shuffled orders; then all of
 * that again with less clear space round other points.
 *
 * @param {{x: number, y: number, w: number, h: number}[]} items point (x, y) and its label's size
 * @param {{bounds: object, obstacles: object[], lines: object[][], points: object[], radius: number}} opts
 *   the box labels must stay in, boxes already taken (axis labels), segments [p, q] no label may
 *   cross (the frontier), every point, and a point's radius
 * @param {number[] | null} first the order to try first (indices into items)
 * @returns {({x: number, y: number, leader: {x1: number, y1: number, x2: number, y2: number} | null} | null)[]}
 *   each label's top-left corner and its leader line, or null where no free spot exists
 */
export function placeLabels(items, { bounds, obstacles, lines = [], points, radius }, first = null) {
  const opts = { obstacles, lines, points, radius };
  const spotsOf = items.map((item) =>
    [...firstRing(item, item.w, item.h, radius + 3), ...grid(item, item.w, item.h, bounds)].filter((c) =>
      inside({ x: c.x, y: c.y, w: item.w, h: item.h }, bounds),
    ),
  );
  const failures = (spots) => spots.filter((s) => s === null).length;
  let best = null;
  // Where a cluster leaves no room with the full clear space round other points, leaders and labels
  // may come as close to them as to anything else.
  for (const clear of [CLEAR, GAP]) {
    let order = first || items.map((_, i) => i);
    const random = seeded(items.length);
    for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
      if (attempt > 0 && attempt < items.length) {
        order = [...order.filter((i) => best[i] === null), ...order.filter((i) => best[i] !== null)];
      } else if (attempt > 0) {
        order = order.map((i) => [random(), i]).sort((a, b) => a[0] - b[0]).map(([, i]) => i);
      }
      const spots = placeInOrder(items, order, spotsOf, opts, clear);
      if (best === null || failures(spots) < failures(best)) best = spots;
      if (failures(best) === 0) return best;
    }
  }
  return best;
}
