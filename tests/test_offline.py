"""`make test` runs the whole suite inside a network namespace that has only loopback.

So a lesson or test that downloads anything (a Keras dataset, weights, a font) fails here,
as it would in a classroom without internet. On CI the namespace is required.
"""

import os
import socket

import pytest

offline = os.environ.get("LESSONS_OFFLINE") == "1"


@pytest.mark.skipif(not offline and not os.environ.get("CI"), reason="not run through tools/offline (`make test`)")
def test_the_suite_runs_with_loopback_as_the_only_network():
    assert offline, "CI must run the suite through tools/offline (see the Makefile's test target)"
    assert [name for _, name in socket.if_nameindex()] == ["lo"]
    with pytest.raises(OSError):
        socket.getaddrinfo("pypi.org", 443)
