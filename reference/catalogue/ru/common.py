"""The common domain in Russian."""

TEXT = {
    "common.did_you_mean": " — может быть, '{name}'?",
}
