"""The exercise library and the two starter routines, as plain data.

Sources: Dolak et al. 2011 (JOSPT) and Collins et al. 2018 (BJSM) for the hip-first programme;
doses follow the trials (2-4 sessions a week, slow controlled reps, form over intensity).
Each exercise's dose is its sets and target, its ``tempo`` (how a rep is paced, where pacing
applies; empty for holds), ``rest_seconds`` between sets (45-90 s for strength, shorter for
mobility; never between the left and right side of one set) and, where a band is used, the
``starting_band``: the lightest, moved up one band once 3 x 12 clean reps (3 x 20 steps) are easy.
``sync_library`` writes it with the model classes it is given; the ``load_library`` command (run by
``make run`` after ``migrate``) brings a database up to date with it. Migration 0002 loads a frozen
copy of it as it stood then, so an edit here never changes what a fresh ``migrate`` does.
"""

from __future__ import annotations

from typing import Any

from tracker.rules.vocabulary import KNEE_TRACKING_CUE  # on squats, lunges and hinges only

EXERCISES: list[dict[str, Any]] = [
    {
        "slug": "glute-bridge",
        "name": "Glute bridge",
        "category": "strength",
        "muscles": ["gluteus maximus", "hamstrings"],
        "unit": "reps",
        "per_side": False,
        "default_sets": 3,
        "default_target": 10,
        "tempo": "2 s up, hold 2 s, 3 s down",
        "rest_seconds": 60,
        "starting_band": "",
        "cues": [
            "Lie on your back, knees bent, feet hip-width apart.",
            "Squeeze your glutes to lift the hips; hold 2 s at the top.",
            "Lower slowly; keep the knees pointing forward.",
        ],
        "cautions": ["Stop if you feel it in the lower back rather than the glutes."],
        "easier": None,
        "harder": "single-leg-bridge",
    },
    {
        "slug": "single-leg-bridge",
        "name": "Single-leg glute bridge",
        "category": "strength",
        "muscles": ["gluteus maximus", "gluteus medius", "hamstrings"],
        "unit": "reps",
        "per_side": True,
        "default_sets": 3,
        "default_target": 8,
        "tempo": "2 s up, hold 2 s, 3 s down",
        "rest_seconds": 60,
        "starting_band": "",
        "cues": [
            "One foot on the floor, the other leg straight or knee hugged in.",
            "Lift the hips level, without letting one side drop; hold 2 s.",
        ],
        "cautions": ["Go back to the two-leg bridge if the pelvis tilts or the knee aches."],
        "easier": "glute-bridge",
        "harder": None,
    },
    {
        "slug": "side-lying-leg-raise",
        "name": "Side-lying leg raise",
        "category": "strength",
        "muscles": ["gluteus medius", "gluteus minimus"],
        "unit": "reps",
        "per_side": True,
        "default_sets": 3,
        "default_target": 10,
        "tempo": "2 s up, hold 1 s, 3 s down",
        "rest_seconds": 45,
        "starting_band": "",
        "cues": [
            "Lie on your side, bottom knee bent, top leg straight in line with the body.",
            "Lift the top leg slightly behind you, toes forward, slowly up and down.",
        ],
        "cautions": ["Do not roll the hips backwards to lift higher."],
        "easier": "clamshell",
        "harder": None,
    },
    {
        "slug": "clamshell",
        "name": "Clamshell",
        "category": "strength",
        "muscles": ["gluteus medius", "deep hip external rotators"],
        "unit": "reps",
        "per_side": True,
        "default_sets": 3,
        "default_target": 12,
        "tempo": "2 s open, hold 1 s, 3 s close",
        "rest_seconds": 45,
        "starting_band": "",
        "cues": [
            "Lie on your side, hips and knees bent, feet together.",
            "Open the top knee like a clamshell without rolling the pelvis back.",
        ],
        "cautions": [],
        "easier": None,
        "harder": "banded-clamshell",
    },
    {
        "slug": "banded-clamshell",
        "name": "Clamshell with band",
        "category": "strength",
        "muscles": ["gluteus medius", "deep hip external rotators"],
        "unit": "reps",
        "per_side": True,
        "default_sets": 3,
        "default_target": 12,
        "tempo": "2 s open, hold 1 s, 3 s close",
        "rest_seconds": 45,
        "starting_band": "yellow",
        "cues": ["A band just above the knees; open slowly against it and control the return."],
        "cautions": [],
        "easier": "clamshell",
        "harder": None,
    },
    {
        "slug": "lateral-band-walk",
        "name": "Lateral band walk",
        "category": "strength",
        "muscles": ["gluteus medius", "gluteus minimus"],
        "unit": "steps",
        "per_side": False,
        "default_sets": 2,
        "default_target": 20,
        "tempo": "Slow steps, about 1 s each; the band stays taut",
        "rest_seconds": 60,
        "starting_band": "yellow",
        "cues": [
            "Band around the legs, knees slightly bent, feet hip-width apart.",
            "Step sideways without letting the feet snap together; keep tension in the band.",
        ],
        "cautions": ["Keep the knees from caving inward."],
        "easier": None,
        "harder": None,
    },
    {
        "slug": "supported-squat",
        "name": "Supported squat with hip engagement",
        "category": "strength",
        "muscles": ["gluteus maximus", "gluteus medius", "quadriceps"],
        "unit": "reps",
        "per_side": False,
        "default_sets": 3,
        "default_target": 10,
        "tempo": "3 s down, 2 s up",
        "rest_seconds": 90,
        "starting_band": "",
        "cues": [
            "Hold a chair, counter or door frame; sit back as if onto a chair.",
            "Press the knees gently outward to switch on the hips.",
            KNEE_TRACKING_CUE,
        ],
        "cautions": [
            "Only as deep as stays comfortable: knee pain 0–3 is safe, 4–5 acceptable,"
            " above 5 too much."
        ],
        "easier": None,
        "harder": "single-leg-squat",
    },
    {
        "slug": "single-leg-rdl",
        "name": "Single-leg Romanian deadlift",
        "category": "strength",
        "muscles": ["gluteus maximus", "hamstrings", "gluteus medius"],
        "unit": "reps",
        "per_side": True,
        "default_sets": 3,
        "default_target": 10,
        "tempo": "3 s down, 2 s up",
        "rest_seconds": 60,
        "starting_band": "",
        "cues": [
            "Soft standing knee; hinge at the hip as the free leg reaches back.",
            "Keep the hips square to the floor; touch a wall or chair for balance.",
            KNEE_TRACKING_CUE,
        ],
        "cautions": ["Keep the back flat; no rounding to reach lower."],
        "easier": "kickstand-rdl",
        "harder": None,
    },
    {
        "slug": "kickstand-rdl",
        "name": "Kickstand Romanian deadlift",
        "category": "strength",
        "muscles": ["gluteus maximus", "hamstrings"],
        "unit": "reps",
        "per_side": True,
        "default_sets": 3,
        "default_target": 10,
        "tempo": "3 s down, 2 s up",
        "rest_seconds": 60,
        "starting_band": "",
        "cues": [
            "Back foot's toes stay on the floor for balance; most weight on the front leg.",
            KNEE_TRACKING_CUE,
        ],
        "cautions": [],
        "easier": None,
        "harder": "single-leg-rdl",
    },
    {
        "slug": "single-leg-squat",
        "name": "Single-leg squat or lunge",
        "category": "strength",
        "muscles": ["gluteus maximus", "gluteus medius", "quadriceps"],
        "unit": "reps",
        "per_side": True,
        "default_sets": 3,
        "default_target": 8,
        "tempo": "3 s down, 2 s up",
        "rest_seconds": 90,
        "starting_band": "",
        "cues": [
            "Slow and shallow first; a split-stance lunge is fine.",
            KNEE_TRACKING_CUE,
        ],
        "cautions": ["Stop this one for today if knee pain goes above 5."],
        "easier": "supported-squat",
        "harder": None,
    },
    {
        "slug": "lateral-lunge",
        "name": "Lateral lunge",
        "category": "strength",
        "muscles": ["gluteus medius", "adductors", "quadriceps"],
        "unit": "reps",
        "per_side": True,
        "default_sets": 2,
        "default_target": 8,
        "tempo": "3 s down, 2 s up",
        "rest_seconds": 60,
        "starting_band": "",
        "cues": ["Step wide, sit back into one hip, other leg straight.", KNEE_TRACKING_CUE],
        "cautions": [],
        "easier": "supported-squat",
        "harder": None,
    },
    {
        "slug": "hip-flexor-stretch",
        "name": "Hip-flexor stretch (three-way release)",
        "category": "mobility",
        "muscles": ["hip flexors", "quadriceps"],
        "unit": "seconds",
        "per_side": True,
        "default_sets": 2,
        "default_target": 30,
        "tempo": "",
        "rest_seconds": 20,
        "starting_band": "",
        "cues": [
            "Half-kneeling on a cushion, tuck the pelvis and squeeze the back glute.",
            "Lean forward, then reach the arm up, then rotate gently: three directions.",
        ],
        "cautions": ["Pad the kneeling knee; stand-up version if kneeling hurts."],
        "easier": None,
        "harder": None,
    },
    {
        "slug": "hip-90-90",
        "name": "90/90 hip rotation drill",
        "category": "mobility",
        "muscles": ["deep hip rotators", "gluteus medius"],
        "unit": "reps",
        "per_side": True,
        "default_sets": 2,
        "default_target": 10,
        "tempo": "3 s each way",
        "rest_seconds": 20,
        "starting_band": "",
        "cues": ["Sit with both knees at 90°; rotate the knees side to side, torso tall."],
        "cautions": ["Use your hands behind you for support; stay out of knee pain."],
        "easier": None,
        "harder": None,
    },
    {
        "slug": "figure-four-stretch",
        "name": "Seated figure-four stretch",
        "category": "mobility",
        "muscles": ["gluteus maximus", "piriformis"],
        "unit": "seconds",
        "per_side": True,
        "default_sets": 2,
        "default_target": 30,
        "tempo": "",
        "rest_seconds": 20,
        "starting_band": "",
        "cues": ["Sit tall, ankle over the other knee, lean forward from the hips."],
        "cautions": [],
        "easier": None,
        "harder": "modified-pigeon",
    },
    {
        "slug": "modified-pigeon",
        "name": "Modified pigeon (on a couch or chair)",
        "category": "mobility",
        "muscles": ["gluteus maximus", "piriformis", "hip external rotators"],
        "unit": "seconds",
        "per_side": True,
        "default_sets": 2,
        "default_target": 30,
        "tempo": "",
        "rest_seconds": 20,
        "starting_band": "",
        "cues": ["Front shin across a couch or chair seat, not the floor; hips square."],
        "cautions": ["Knee pain in this stretch: switch to the seated figure-four."],
        "easier": "figure-four-stretch",
        "harder": None,
    },
    {
        "slug": "foam-rolling",
        "name": "Foam rolling of glutes and thighs",
        "category": "soft_tissue",
        "muscles": ["gluteus maximus", "iliotibial band region", "quadriceps"],
        "unit": "seconds",
        "per_side": True,
        "default_sets": 1,
        "default_target": 60,
        "tempo": "",
        "rest_seconds": 0,
        "starting_band": "",
        "cues": ["Slow passes; pause on tender spots, breathe."],
        "cautions": ["Not directly over the kneecap or a swollen area."],
        "easier": None,
        "harder": None,
    },
]

# (exercise, sets, target, per_side, warm-up). The bulletproofing routine warms up first, as
# its guidance says: foam rolling before any stretching, then hip mobility and glute activation.
STARTER_ROUTINES: list[dict[str, Any]] = [
    {
        "name": "Hip-to-Knee starter",
        "items": [
            ("glute-bridge", 3, 10, False, False),
            ("side-lying-leg-raise", 3, 10, True, False),
            ("clamshell", 3, 12, True, False),
            ("supported-squat", 3, 10, False, False),
        ],
    },
    {
        "name": "Hip-to-Knee bulletproofing",
        "items": [
            ("foam-rolling", 1, 60, True, True),
            ("hip-90-90", 2, 10, True, True),
            ("clamshell", 1, 10, True, True),
            ("glute-bridge", 3, 10, False, False),
            ("single-leg-rdl", 3, 10, True, False),
            ("lateral-band-walk", 2, 20, False, False),
            ("single-leg-squat", 3, 8, True, False),
            ("hip-flexor-stretch", 2, 30, True, False),
        ],
    },
]


def sync_library(Exercise: Any, Routine: Any, RoutineItem: Any) -> None:
    """Create or update every exercise and starter routine; safe to run any number of times."""
    for position, data in enumerate(EXERCISES):
        fields = {k: v for k, v in data.items() if k not in ("slug", "easier", "harder")}
        Exercise.objects.update_or_create(
            slug=data["slug"], defaults={**fields, "position": position}
        )
    for data in EXERCISES:
        Exercise.objects.filter(slug=data["slug"]).update(
            easier_id=data["easier"], harder_id=data["harder"]
        )
    for spec in STARTER_ROUTINES:
        routine, _ = Routine.objects.get_or_create(
            name=spec["name"], starter=True, user=None, defaults={}
        )
        RoutineItem.objects.filter(routine=routine).delete()
        RoutineItem.objects.bulk_create(
            RoutineItem(
                routine=routine,
                position=i,
                exercise_id=slug,
                sets=sets,
                target=target,
                per_side=per_side,
                warmup=warmup,
            )
            for i, (slug, sets, target, per_side, warmup) in enumerate(spec["items"])
        )
