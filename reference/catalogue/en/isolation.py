"""The isolation domain in English."""

TEXT = {
    "isolation.no_seccomp": (
        "sandbox: no seccomp filter on this machine, student code may exec, fork and open sockets "
        "within its sandbox"
    ),
    "isolation.weaker.landlock": (
        "sandbox: Linux user namespaces are unavailable, student code is confined by resource "
        "limits and Landlock only"
    ),
    "isolation.weaker.rlimits-only": (
        "sandbox: Linux user namespaces are unavailable, student code runs with resource limits "
        "only and can read this user's files"
    ),
}
