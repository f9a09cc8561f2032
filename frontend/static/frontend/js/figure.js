// How an exercise is done, drawn: a simple figure (head, torso and limbs as rounded strokes) on a
// floor line, with the band, chair, cushion or roller the exercise uses, at its start and end
// position (poses.js). Where the system allows motion it moves from one to the other and back
// (SVG animation); where the person asked for reduced motion it shows the two positions side by
// side, still. Each drawing is one image (role "img") named by what the movement is.
import { POSES } from "./poses.js";

const NS = "http://www.w3.org/2000/svg";
const W = 200; // one panel; y runs up from the floor (0) to 116
const FLOOR = 116;
// segment lengths; a limb may shorten its own (seen end-on)
const TORSO = 30, NECK = 11, HEAD = 7, THIGH = 25, SHIN = 24, FOOT = 7, UPPER = 17, FORE = 16;
const STEPS = 8; // drawn positions between start and end
const RAD = Math.PI / 180;

const svg = (tag, attrs = {}) => {
  const node = document.createElementNS(NS, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  return node;
};
const at = ([x, y], angle, length) => [x + length * Math.cos(angle * RAD), y + length * Math.sin(angle * RAD)];
const plus = ([x, y], [dx, dy], sign = 1) => [x + sign * dx, y + sign * dy];

/** Two segments from `root` to the target `to` (lengths a and b); the middle joint bends to the
 * left of the line (bend 1) or to its right (bend -1). A target out of reach straightens the limb. */
function reach(root, to, a, b, bend) {
  const dx = to[0] - root[0], dy = to[1] - root[1];
  const d = Math.min(Math.max(Math.hypot(dx, dy), Math.abs(a - b) + 0.01), a + b - 0.01);
  const base = Math.atan2(dy, dx) / RAD;
  const alpha = Math.acos((a * a + d * d - b * b) / (2 * a * d)) / RAD;
  const middle = at(root, base + bend * alpha, a);
  const end = at(middle, Math.atan2(to[1] - middle[1], to[0] - middle[0]) / RAD, b);
  return [middle, end];
}

function limb(root, spec, [a, b]) {
  const [la, lb] = spec.len || [a, b];
  if (spec.to) return reach(root, spec.to, la, lb, spec.bend ?? 1);
  const middle = at(root, spec.a[0], la);
  return [middle, at(middle, spec.a[1], lb)];
}

/** Every joint of a pose, in floor coordinates. */
function joints(pose) {
  const hip = pose.hip;
  const shoulder = at(hip, pose.torso, pose.torsoLen ?? TORSO);
  const head = at(shoulder, pose.neck ?? pose.torso, pose.neckLen ?? NECK);
  const hipOff = pose.hipOff || [0, 0], shOff = pose.shOff || [0, 0];
  const out = { hip, shoulder, head };
  ["N", "F"].forEach((side, i) => {
    const sign = i === 0 ? 1 : -1;
    const legSpec = pose.legs[i];
    const hipAt = plus(hip, hipOff, sign);
    const [knee, ankle] = limb(hipAt, legSpec, [THIGH, SHIN]);
    const shin = Math.atan2(ankle[1] - knee[1], ankle[0] - knee[0]) / RAD;
    out[`hip${side}`] = hipAt;
    out[`knee${side}`] = knee;
    out[`ankle${side}`] = ankle;
    out[`toe${side}`] = at(ankle, legSpec.foot ?? shin + 90, FOOT);
    const shoulderAt = plus(shoulder, shOff, sign);
    const [elbow, hand] = limb(shoulderAt, pose.arms[i], [UPPER, FORE]);
    out[`shoulder${side}`] = shoulderAt;
    out[`elbow${side}`] = elbow;
    out[`hand${side}`] = hand;
  });
  return out;
}

/** The pose a fraction t of the way from `a` to `b` (numbers and lists of numbers). */
function between(a, b, t) {
  if (typeof a === "number") return a + (b - a) * t;
  if (Array.isArray(a)) return a.map((value, i) => between(value, b[i], t));
  if (a && typeof a === "object") {
    return Object.fromEntries(Object.entries(a).map(([key, value]) => [key, key === "bend" ? value : between(value, b[key] ?? value, t)]));
  }
  return a;
}

const point = ([x, y]) => `${x.toFixed(1)} ${(FLOOR - y).toFixed(1)}`;
const line = (...points) => `M${points.map(point).join("L")}`;

// what is drawn, back to front: [class, joints of a stroke]
const STROKES = [
  ["far", ["shoulderF", "elbowF", "handF"]],
  ["far", ["hipF", "kneeF", "ankleF", "toeF"]],
  ["torso", ["hip", "shoulder"]],
  ["near", ["hipN", "kneeN", "ankleN", "toeN"]],
  ["near", ["shoulderN", "elbowN", "handN"]],
];

function prop(kind, spec, dx) {
  const [x, y, w = 0, h = 0] = spec;
  const p = (px, py) => point([px + dx, py]);
  switch (kind) {
    case "chair": // seat at height y from x to x + w, the back at x up to y + h
      return svg("path", { class: "fig-prop", d: `M${p(x, y)}L${p(x + w, y)}M${p(x, y + h)}L${p(x, 0)}M${p(x + w, y)}L${p(x + w, 0)}` });
    case "couch": // a seat block from x to x + w, y high
      return svg("rect", { class: "fig-prop fig-block", x: (x + dx).toFixed(1), y: (FLOOR - y).toFixed(1), width: w, height: y, rx: 4 });
    case "pad": // a cushion on the floor
      return svg("rect", { class: "fig-prop fig-block", x: (x + dx).toFixed(1), y: (FLOOR - y).toFixed(1), width: w, height: y, rx: 2 });
    default:
      return null;
  }
}

function panel(data, frames, dx, animate, [left, width] = [0, W]) {
  const group = svg("g");
  if (!data.above) group.append(svg("path", { class: "fig-floor", d: `M${point([left + dx + 4, -1])}L${point([left + dx + width - 4, -1])}` }));
  for (const [kind, spec] of Object.entries(data.props || {})) {
    const node = prop(kind, spec, dx);
    if (node) group.append(node);
  }
  const shifted = frames.map((pose) => {
    const j = joints(pose);
    return { j: Object.fromEntries(Object.entries(j).map(([k, v]) => [k, [v[0] + dx, v[1]]])), roller: pose.roller && [pose.roller[0] + dx, pose.roller[1]] };
  });
  const timeline = animate ? [...shifted, ...Array(3).fill(shifted.at(-1)), ...[...shifted].reverse(), ...Array(3).fill(shifted[0])] : shifted;
  const moving = (node, attribute, values) => {
    node.setAttribute(attribute, values[0]);
    if (animate && new Set(values).size > 1) {
      node.append(svg("animate", { attributeName: attribute, values: values.join(";"), dur: `${data.seconds || 5}s`, repeatCount: "indefinite" }));
    }
    return node;
  };
  if (frames[0].roller) {
    group.append(moving(moving(svg("circle", { class: "fig-prop fig-roller", r: 7 }), "cx", timeline.map((f) => f.roller[0].toFixed(1))),
      "cy", timeline.map((f) => (FLOOR - f.roller[1]).toFixed(1))));
  }
  for (const [cls, names] of STROKES) {
    if (cls === "torso") {
      group.append(moving(svg("circle", { class: "fig-head", r: HEAD }), "cx", timeline.map((f) => f.j.head[0].toFixed(1))));
      moving(group.lastChild, "cy", timeline.map((f) => (FLOOR - f.j.head[1]).toFixed(1)));
    }
    group.append(moving(svg("path", { class: `fig-${cls}` }), "d", timeline.map((f) => line(...names.map((n) => f.j[n])))));
  }
  if (data.band) {
    group.append(moving(svg("path", { class: "fig-band" }), "d", timeline.map((f) => line(f.j[data.band[0]], f.j[data.band[1]]))));
  }
  return group;
}

/** The box [x, y, width, height] (in SVG units) around everything drawn in `frames`, with room
 * for the head and the strokes, so that a figure lying down is drawn as large as one standing. */
function box(data, frames) {
  const xs = [], ys = [];
  for (const pose of frames) {
    for (const [x, y] of Object.values(joints(pose))) { xs.push(x); ys.push(y); }
    if (pose.roller) { xs.push(pose.roller[0]); ys.push(pose.roller[1] + 7); }
  }
  for (const [x, y, w = 0, h = 0] of Object.values(data.props || {})) { xs.push(x, x + w); ys.push(y + h); }
  const left = Math.max(0, Math.min(...xs) - 14), right = Math.min(W, Math.max(...xs) + 14);
  const top = Math.max(...ys) + HEAD + 8;
  const bottom = data.above ? Math.max(0, Math.min(...ys) - 4) : 0; // seen from above: no floor
  return [left, FLOOR - top, right - left, top + 4 - bottom];
}

/** The drawing of exercise `slug` (an <svg role="img">), or null for an exercise not drawn yet.
 * `still`: the two positions side by side (also whenever reduced motion is asked for). */
export function figure(slug, { still = matchMedia("(prefers-reduced-motion: reduce)").matches } = {}) {
  const data = POSES[slug];
  if (!data) return null;
  const ease = (t) => (1 - Math.cos(Math.PI * t)) / 2;
  const frames = Array.from({ length: STEPS + 1 }, (_, i) => between(data.start, data.end, ease(i / STEPS)));
  const [x, y, width, height] = box(data, frames);
  const node = svg("svg", { role: "img", "aria-label": data.says, class: still ? "figure still" : "figure",
    viewBox: [x, y, still ? 2 * width : width, height].join(" "), focusable: "false" });
  if (!still) {
    node.append(panel(data, frames, 0, true, [x, width]));
    return node;
  }
  // the end position drawn a panel's width to the right of the start
  node.append(panel(data, [data.start], 0, false, [x, width]), panel(data, [data.end], width, false, [x, width]));
  for (const [text, dx] of [["Start", 0], ["End", width]]) {
    const label = svg("text", { x: x + dx + 4, y: y + height * 0.11, class: "fig-label", "font-size": Math.max(height * 0.1, width * 0.06).toFixed(1) });
    label.textContent = text;
    node.append(label);
  }
  return node;
}

/** Whether an exercise has a drawing. */
export const drawn = (slug) => Boolean(POSES[slug]);
