"""The common domain in English."""

TEXT = {
    "common.did_you_mean": " — did you mean '{name}'?",
}
