"""Parameters of the ``semver`` rule kind; import-light, as all of
:mod:`governance.rules.params`."""

from governance.rules.params import Params


class SemverParams(Params):
    allow_prerelease: bool = True
    allow_build_metadata: bool = True


#: The parameters model of ``semver`` (read by the registry).
PARAMS: type[Params] = SemverParams
