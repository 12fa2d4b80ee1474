"""Name registries: how Keras-style strings such as ``'relu'`` or ``'adam'`` find their object.

Every building-block module (activations, losses, initializers, optimizers, regularizers,
metrics) keeps one :class:`Registry`. Names are matched without regard to case or underscores,
so ``'mean_squared_error'``, ``'MeanSquaredError'`` and ``'meansquarederror'`` are the same
name. An unknown name raises ``ValueError`` listing the valid names and the nearest one.
"""

from __future__ import annotations

import difflib

from rosenblatt.base.checks import describe


def _normalize(name: str) -> str:
    return name.replace("_", "").replace("-", "").lower()


def _article(noun: str) -> str:
    return "an" if noun[:1].upper() in "AEIOU" else "a"


def _callable_as_is(identifier):
    return identifier if callable(identifier) else None


class Registry:
    """A mapping from names (and aliases) to objects, with helpful errors.

    >>> r = Registry("activation")
    >>> @r.register("identity", "linear")
    ... def linear(x):
    ...     return x
    >>> r.lookup("Linear") is linear
    True
    """

    def __init__(self, kind: str):
        self.kind = kind
        self._items: dict[str, object] = {}
        self._names: list[str] = []

    def register(self, *names: str):
        """Decorator that registers an object under one or more names."""

        def decorate(obj):
            for name in names:
                self.add(name, obj)
            return obj

        return decorate

    def add(self, name: str, obj) -> None:
        key = _normalize(name)
        if key in self._items and self._items[key] is not obj:
            raise ValueError(f"{self.kind} name {name!r} is already registered")
        self._items[key] = obj
        if name not in self._names:
            self._names.append(name)

    def names(self) -> list[str]:
        """All registered names, in registration order."""
        return list(self._names)

    def __contains__(self, name) -> bool:
        return isinstance(name, str) and _normalize(name) in self._items

    def lookup(self, name: str):
        """Return the object registered under ``name`` or raise a ValueError that lists the
        valid names and suggests the nearest one."""
        if not isinstance(name, str):
            raise TypeError(
                f"{self.kind}: expected a name (str), got {type(name).__name__} {name!r}"
            )
        key = _normalize(name)
        if key in self._items:
            return self._items[key]
        raise ValueError(self.unknown_message(name))

    def deserialize(self, config: dict):
        """The object described by ``{'class_name': ..., 'config': {...}}``: the registered
        class's ``from_config(config)``. Only registered classes can be made; no code runs."""
        if set(config) != {"class_name", "config"}:
            raise ValueError(
                f"{self.kind} config: expected keys 'class_name' and 'config', got {sorted(config)}"
            )
        return self.lookup(config["class_name"]).from_config(config["config"])

    def serialize(self, obj, base: type, label: str | None = None) -> dict:
        """``{'class_name': ..., 'config': obj.get_config()}`` for an instance of ``base``;
        a TypeError naming ``label`` (default: the registry's kind) for anything else."""
        if not isinstance(obj, base):
            raise TypeError(f"{label or self.kind}: expected {_article(base.__name__)} "
                            f"{base.__name__}, got {describe(obj)}")
        return {"class_name": type(obj).__name__, "config": obj.get_config()}

    def get(self, identifier, base: type, *, optional: bool = True, make=None,
            convert=_callable_as_is, expected: str | None = None, label: str | None = None,
            shown=describe):
        """The object an identifier names: the one way every building block reads Keras-style
        arguments such as ``'adam'``, a config dict or an instance.

        In order: None gives None (a TypeError below when not ``optional``); an instance of
        ``base`` is returned as is; a name makes its registered class with ``make(cls, name)``
        (default ``cls()``); a config dict goes to :meth:`deserialize`; anything else to
        ``convert(identifier)`` (default: a callable is returned as is), which returns the
        object or None when it does not take that identifier (None: it takes none). The rest
        is a TypeError ``'<label>: expected <expected>, got <shown(identifier)>'``, where label
        defaults to the registry's kind and expected to "a name, a config dict, a <base> or a
        callable".
        """
        if identifier is None and optional:
            return None
        if isinstance(identifier, base):
            return identifier
        if isinstance(identifier, str):
            cls = self.lookup(identifier)
            return cls() if make is None else make(cls, identifier)
        if isinstance(identifier, dict):
            return self.deserialize(identifier)
        converted = None if convert is None else convert(identifier)
        if converted is not None:
            return converted
        if expected is None:
            expected = (f"a name, a config dict, {_article(base.__name__)} {base.__name__} or "
                        "a callable")
        raise TypeError(f"{label or self.kind}: expected {expected}, got {shown(identifier)}")

    def unknown_message(self, name: str) -> str:
        valid = self.names()
        close = difflib.get_close_matches(name, valid, n=1, cutoff=0.5)
        if not close:
            by_key = {_normalize(v): v for v in valid}
            close = [by_key[k] for k in difflib.get_close_matches(_normalize(name), by_key, n=1)]
        hint = f" Did you mean {close[0]!r}?" if close else ""
        return f"Unknown {self.kind} {name!r}.{hint} Valid names: {', '.join(valid)}."


class Configurable:
    """Mixin: ``get_config()`` returns the constructor arguments named in ``_config_keys``,
    ``from_config(config)`` calls the constructor with them, and ``repr`` shows them."""

    _config_keys: tuple[str, ...] = ()

    def get_config(self) -> dict:
        """The constructor arguments as a JSON-serializable dict."""
        return {key: getattr(self, key) for key in self._config_keys}

    @classmethod
    def from_config(cls, config: dict):
        """Rebuild the object from :meth:`get_config`'s output."""
        return cls(**config)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"
