"""API route modules: each module here with a ``router`` (a fastapi.APIRouter) is included by create_app."""
