"""Factories for the cross-tenant walker: one per URL argument that names an object.

Each area adds a module here with ``@factory("arg_name")`` functions that create
an object in tenant A (through A's admin ``Api``) and return the value for that URL
argument. The walker fails on any route whose arguments have no factory, so a new
route can't slip through without its cross-tenant test.
"""
import importlib
import pkgutil
from collections.abc import Callable

FACTORIES: dict[str, Callable] = {}


def factory(arg: str):
    def register(fn):
        FACTORIES[arg] = fn
        return fn

    return register


def load_all() -> dict[str, Callable]:
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
    return FACTORIES
