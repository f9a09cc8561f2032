// The start and end position of every exercise in the library, for figure.js, and what the
// movement is in words (the drawing's accessible name). Coordinates: x to the right, y up from the
// floor (0), in a 200-wide panel; a standing figure is about 100 tall. Angles in degrees
// (0 points right, 90 up). hip: the pelvis; torso: from the hip to the shoulders; neck: from the
// shoulders to the head; legs and arms: [near, far], each either joint angles `a` [upper,
// lower] or a target `to` [x, y] reached with the knee or elbow bent to one side (`bend` 1 or -1);
// `len` shortens a limb seen end-on; hipOff / shOff part the two hips / shoulders (a front view,
// or a figure on its side). props: chair [x, seat, width, back], couch and pad [x, height, width];
// band: the two joints the band joins; roller: where the foam roller is, in each position.

const standing = { hip: [95, 52.5], torso: 90, neck: 90 };
const hang = [{ a: [-95, -90] }, { a: [-85, -88] }];
const onHips = [{ a: [-60, -120] }, { a: [-120, -60] }];

// lying on the back, shoulders down at x 65, feet flat at x 124
const supine = { hip: [95, 7], torso: 180, neck: 178, arms: [{ a: [-4, 0] }, { a: [-3, 1] }] };
const bridged = { hip: [87, 28], torso: 222, neck: 186, arms: [{ a: [-4, 0] }, { a: [-3, 1] }] };

// lying on the left side, seen from the front: head to the left, hips stacked
const sideLying = {
  hip: [112, 16], hipOff: [0, 4], torso: 180, shOff: [0, 4], neck: 168,
  arms: [{ a: [-30, -8] }, { a: [176, 172] }],
};
const shellClosed = [{ a: [-20, 25], foot: 60 }, { a: [-20, 25], foot: 60 }];

export const POSES = {
  "glute-bridge": {
    says: "Glute bridge: lying on the back, knees bent and feet flat; the hips lift until shoulders, hips and knees are in one line, then lower slowly.",
    start: { ...supine, legs: [{ to: [124, 4] }, { to: [121, 4] }] },
    end: { ...bridged, legs: [{ to: [124, 4] }, { to: [121, 4] }] },
  },
  "single-leg-bridge": {
    says: "Single-leg glute bridge: lying on the back, one foot flat and the other leg held out straight; the hips lift level, then lower slowly.",
    start: { ...supine, legs: [{ a: [24, 24] }, { to: [121, 4] }] },
    end: { ...bridged, legs: [{ a: [42, 42] }, { to: [121, 4] }] },
  },
  "side-lying-leg-raise": {
    says: "Side-lying leg raise: lying on one side, bottom knee bent; the straight top leg lifts up and slightly back, then lowers slowly.",
    start: { ...sideLying, legs: [{ a: [-5, -4], foot: 60 }, { a: [-20, 25], foot: 80 }] },
    end: { ...sideLying, legs: [{ a: [28, 28], foot: 100 }, { a: [-20, 25], foot: 80 }] },
  },
  clamshell: {
    says: "Clamshell: lying on one side with hips and knees bent and feet together; the top knee opens upward like a shell while the feet stay together, then closes.",
    start: { ...sideLying, legs: shellClosed },
    end: { ...sideLying, legs: [{ a: [32, -26], foot: 60 }, shellClosed[1]] },
  },
  "banded-clamshell": {
    says: "Clamshell with band: lying on one side, knees bent, a band around both legs just above the knees; the top knee opens against the band, then closes slowly.",
    band: ["kneeN", "kneeF"],
    start: { ...sideLying, legs: shellClosed },
    end: { ...sideLying, legs: [{ a: [32, -26], foot: 60 }, shellClosed[1]] },
  },
  "lateral-band-walk": {
    says: "Lateral band walk, seen from the front: standing with knees slightly bent and a band around the legs; one foot steps out to the side against the band, keeping it taut.",
    band: ["kneeN", "kneeF"],
    start: { hip: [92, 52], hipOff: [7, 0], torso: 90, shOff: [9, 0], arms: onHips,
      legs: [{ to: [101, 4], foot: -10 }, { to: [83, 4], bend: -1, foot: 190 }] },
    end: { hip: [101, 51], hipOff: [7, 0], torso: 90, shOff: [9, 0], arms: onHips,
      legs: [{ to: [123, 4], foot: -10 }, { to: [83, 4], bend: -1, foot: 190 }] },
  },
  "supported-squat": {
    says: "Supported squat: standing and holding the back of a chair; the hips sit back and down as if onto a chair, knees over the toes, then stand up.",
    props: { chair: [122, 26, 22, 40] },
    start: { ...standing, legs: [{ to: [100, 4] }, { to: [97, 4] }], arms: [{ to: [122, 66], bend: -1 }, { to: [120, 66], bend: -1 }] },
    end: { hip: [76, 30], torso: 58, neck: 50, legs: [{ to: [100, 4] }, { to: [97, 4] }], arms: [{ to: [122, 66], bend: -1 }, { to: [120, 66], bend: -1 }] },
  },
  "single-leg-rdl": {
    says: "Single-leg Romanian deadlift: standing on one leg with a soft knee; the body hinges forward at the hip as the free leg reaches back, back flat, then returns upright.",
    start: { ...standing, legs: [{ a: [-100, -108], foot: -20 }, { to: [98, 4] }], arms: hang },
    end: { hip: [93, 50], torso: 12, neck: 5, legs: [{ a: [188, 186], foot: 270 }, { to: [98, 4] }], arms: [{ a: [-88, -85] }, { a: [-92, -88] }] },
  },
  "kickstand-rdl": {
    says: "Kickstand Romanian deadlift: standing with most weight on the front leg and the back foot's toes on the floor; the body hinges forward at the hip, back flat, then returns upright.",
    start: { ...standing, legs: [{ to: [76, 8], foot: -60 }, { to: [100, 4] }], arms: hang },
    end: { hip: [88, 50], torso: 25, neck: 15, legs: [{ to: [76, 8], foot: -60 }, { to: [100, 4] }], arms: [{ a: [-88, -85] }, { a: [-92, -88] }] },
  },
  "single-leg-squat": {
    says: "Split-stance lunge: one foot forward, the back heel up; the body lowers straight down, front knee over the toes, torso tall, then rises.",
    start: { hip: [95, 48], torso: 90, neck: 90, legs: [{ to: [118, 4] }, { to: [72, 8], foot: -45 }], arms: hang },
    end: { hip: [93, 28], torso: 90, neck: 90, legs: [{ to: [118, 4] }, { to: [72, 8], foot: -45 }], arms: hang },
  },
  "lateral-lunge": {
    says: "Lateral lunge, seen from the front: feet wide apart; the body sits back into one hip, bending that knee over the foot while the other leg stays straight, then returns.",
    start: { hip: [100, 50], hipOff: [7, 0], torso: 90, shOff: [9, 0], arms: onHips,
      legs: [{ to: [128, 4], bend: 1, foot: -10 }, { to: [72, 4], bend: -1, foot: 190 }] },
    end: { hip: [116, 32], hipOff: [7, 0], torso: 84, shOff: [9, 0], arms: onHips,
      legs: [{ to: [128, 4], bend: 1, foot: -10 }, { to: [72, 4], bend: -1, foot: 190 }] },
  },
  "hip-flexor-stretch": {
    says: "Hip-flexor stretch: half-kneeling with the back knee on a cushion; the hips move gently forward and the arm on the kneeling side reaches up, stretching the front of the back hip.",
    props: { pad: [68, 4, 24] },
    start: { hip: [86, 31], torso: 90, neck: 90, legs: [{ to: [118, 4] }, { a: [-104, 182], foot: 170 }], arms: [{ a: [-70, -40] }, { a: [-95, -88] }] },
    end: { hip: [95, 29], torso: 96, neck: 92, legs: [{ to: [118, 4] }, { a: [-125, 182], foot: 170 }], arms: [{ a: [-70, -40] }, { a: [100, 95] }] },
  },
  "hip-90-90": {
    says: "90/90 hip rotation, seen from above: sitting on the floor, hands behind, one leg in front and one to the side, both knees bent at 90 degrees; both knees swing over to the other side, torso tall.",
    above: true,
    seconds: 6,
    start: { hip: [100, 60], hipOff: [7, 0], torso: 90, torsoLen: 10, neckLen: 3, shOff: [12, 0],
      arms: [{ a: [-55, -75], len: [10, 10] }, { a: [-125, -105], len: [10, 10] }],
      legs: [{ a: [45, 135] }, { a: [180, -90] }] },
    end: { hip: [100, 60], hipOff: [7, 0], torso: 90, torsoLen: 10, neckLen: 3, shOff: [12, 0],
      arms: [{ a: [-55, -75], len: [10, 10] }, { a: [-125, -105], len: [10, 10] }],
      legs: [{ a: [0, -90] }, { a: [135, 45] }] },
  },
  "figure-four-stretch": {
    says: "Seated figure-four stretch: sitting tall on a chair with one ankle crossed over the other knee; the body leans forward from the hips, back straight, then sits up.",
    props: { chair: [70, 28, 26, 34] },
    start: { hip: [86, 32], torso: 90, neck: 90, legs: [{ a: [8, -10], len: [16, 22], foot: 80 }, { to: [113, 4] }], arms: [{ to: [114, 34], bend: -1 }, { to: [110, 33], bend: -1 }] },
    end: { hip: [86, 32], torso: 55, neck: 40, legs: [{ a: [8, -10], len: [16, 22], foot: 80 }, { to: [113, 4] }], arms: [{ to: [116, 32], bend: -1 }, { to: [112, 31], bend: -1 }] },
  },
  "modified-pigeon": {
    says: "Modified pigeon: standing, the front shin laid across a couch or chair seat, hips square; the body leans forward over the shin, then comes back up.",
    props: { couch: [112, 34, 70] },
    start: { hip: [94, 51], torso: 90, neck: 90, legs: [{ a: [-22, -40], len: [25, 9], foot: 20 }, { to: [88, 4] }], arms: [{ to: [97, 50], bend: -1 }, { to: [93, 50], bend: -1 }] },
    end: { hip: [92, 45], torso: 58, neck: 45, legs: [{ a: [-15, -40], len: [25, 9], foot: 20 }, { to: [88, 4] }], arms: [{ to: [132, 36], bend: -1 }, { to: [128, 36], bend: -1 }] },
  },
  "foam-rolling": {
    says: "Foam rolling: sitting on a foam roller with the hands on the floor behind; the body rolls slowly forward and back over the roller, along the glutes and the back of the thigh.",
    seconds: 6,
    start: { hip: [86, 17], torso: 125, neck: 105, roller: [90, 7], legs: [{ to: [134, 6], foot: 80 }, { to: [118, 4] }], arms: [{ to: [60, 3], bend: 1 }, { to: [57, 3], bend: 1 }] },
    end: { hip: [102, 17], torso: 125, neck: 105, roller: [96, 7], legs: [{ to: [150, 6], foot: 80 }, { to: [130, 4] }], arms: [{ to: [76, 3], bend: 1 }, { to: [73, 3], bend: 1 }] },
  },
};
