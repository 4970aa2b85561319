"""API: knowledge-base categories and the moderation of reader comments."""
from pydantic import BaseModel, Field, model_validator

from app.api.core import endpoint
from app.api.pagination import ListQuery, paginate, whole_list
from app.kb import categories, readers
from app.kb.api import refuse_nulls
from app.kb.models import Comment, CommentStatus


class CategoryIn(BaseModel):
    name: str = Field(min_length=1, max_length=categories.MAX_NAME)
    slug: str | None = Field(None, max_length=80, description="default: from the name")
    description: str = Field("", max_length=2000)
    parent_id: int | None = Field(None, description="a top-level category")
    position: int = Field(0, ge=-1_000_000, le=1_000_000)


class CategoryPatch(BaseModel):
    """Only the fields sent change; ``parent_id`` alone may be null (top level)."""

    name: str | None = Field(None, min_length=1, max_length=categories.MAX_NAME)
    slug: str | None = Field(None, min_length=1, max_length=80)
    description: str | None = Field(None, max_length=2000)
    parent_id: int | None = Field(None, description="null: top level")
    position: int | None = Field(None, ge=-1_000_000, le=1_000_000)

    @model_validator(mode="after")
    def _no_nulls(self):
        refuse_nulls(self, keep=("parent_id",))
        return self


class CategoryOut(BaseModel):
    id: int
    name: str
    slug: str
    description: str
    parent_id: int | None
    position: int


class CategoryList(BaseModel):
    items: list[CategoryOut]
    next_cursor: str | None


class CommentQuery(ListQuery):
    status: CommentStatus | None = None
    article_id: int | None = None


class CommentOut(BaseModel):
    id: int
    article_id: int
    name: str
    body: str = Field(description="as the reader typed it (plain text)")
    status: str
    created_at: str


class CommentList(BaseModel):
    items: list[CommentOut]
    next_cursor: str | None


def category_json(category) -> dict:
    return {"id": category.id, "name": category.name, "slug": category.slug,
            "description": category.description, "parent_id": category.parent_id,
            "position": category.position}


def comment_json(comment: Comment) -> dict:
    return {"id": comment.id, "article_id": comment.article_id, "name": comment.name,
            "body": comment.body, "status": comment.status,
            "created_at": comment.created_at.isoformat()}


TAG = "knowledge base"


@endpoint("/kb/categories", "GET", summary="List knowledge-base categories", tag=TAG,
          response=CategoryList)
def list_categories(staff):
    return whole_list(categories.read_categories(actor=staff), category_json)


@endpoint("/kb/categories", "POST", summary="Create a category", tag=TAG, body=CategoryIn,
          response=CategoryOut, status=201, errors=(403, 422))
def create_category(staff, data: CategoryIn):
    return category_json(categories.create_category(actor=staff, **data.model_dump())), 201


@endpoint("/kb/categories/<int:category_id>", "GET", summary="Get a category", tag=TAG,
          response=CategoryOut, errors=(404,))
def get_category(staff, category_id: int):
    return category_json(categories.view_category(actor=staff, category_id=category_id))


@endpoint("/kb/categories/<int:category_id>", "PATCH", summary="Change a category", tag=TAG,
          body=CategoryPatch, response=CategoryOut, errors=(403, 404, 422))
def update_category(staff, category_id: int, data: CategoryPatch):
    return category_json(categories.update_category(
        actor=staff, category_id=category_id, changes=data.model_dump(exclude_unset=True)))


@endpoint("/kb/categories/<int:category_id>", "DELETE",
          summary="Delete a category (refused while it holds articles or subcategories)",
          tag=TAG, status=204, errors=(403, 404, 409))
def delete_category(staff, category_id: int):
    categories.delete_category(actor=staff, category_id=category_id)


@endpoint("/kb/comments", "GET", summary="List reader comments (status=pending: to moderate)",
          tag=TAG, query=CommentQuery, response=CommentList)
def list_comments(staff, query: CommentQuery):
    stmt = readers.read_comments(actor=staff, status=query.status, article_id=query.article_id)
    return paginate(stmt, Comment.id, query, comment_json)


@endpoint("/kb/comments/<int:comment_id>/approve", "POST",
          summary="Approve a reader comment (shown under its article)", tag=TAG,
          response=CommentOut, errors=(403, 404))
def approve_comment(staff, comment_id: int):
    return comment_json(readers.approve_comment(actor=staff, comment_id=comment_id))


@endpoint("/kb/comments/<int:comment_id>", "DELETE", summary="Delete a reader comment",
          tag=TAG, status=204, errors=(403, 404))
def delete_comment(staff, comment_id: int):
    readers.delete_comment(actor=staff, comment_id=comment_id)
