"""API: knowledge-base articles and search. The services decide who may do what (agents
read, admins and managers write: 403 for the others)."""
from pydantic import BaseModel, Field, model_validator
from pydantic_core import PydanticCustomError

from app.api.core import endpoint
from app.api.pagination import ListQuery, paginate
from app.kb import search, service
from app.kb.models import Article, Language
from app.kb.urls import article_path
from tenants.resolve import current_tenant


class ArticleIn(BaseModel):
    title: str = Field(min_length=1, max_length=service.MAX_TITLE)
    body_markdown: str = Field("", max_length=service.MAX_MARKDOWN)
    category_id: int | None = None
    public: bool = False
    language: Language | None = Field(None, description="default: the company's language")
    featured: bool = False
    draft: bool = False


class ArticlePatch(BaseModel):
    """Only the fields sent change; ``category_id`` alone may be null (no category)."""

    title: str | None = Field(None, min_length=1, max_length=service.MAX_TITLE)
    body_markdown: str | None = Field(None, max_length=service.MAX_MARKDOWN)
    category_id: int | None = Field(None, description="null: no category")
    public: bool | None = None
    language: Language | None = None
    featured: bool | None = None
    draft: bool | None = None

    @model_validator(mode="after")
    def _no_nulls(self):
        refuse_nulls(self, keep=("category_id",))
        return self


class ArticleOut(BaseModel):
    id: int
    title: str
    body_markdown: str
    body_html: str
    category_id: int | None
    public: bool
    language: str
    featured: bool
    draft: bool
    views: int
    helpful_yes: int
    helpful_no: int
    url: str = Field(description="the public page (an internal article or a draft has none "
                     "there: 404)")
    created_at: str
    updated_at: str


class ArticleList(BaseModel):
    items: list[ArticleOut]
    next_cursor: str | None


class ArticleFilters(ListQuery):
    q: str | None = Field(None, max_length=search.MAX_QUERY_CHARS,
                          description="words of the title")
    category_id: int | None = None
    public: bool | None = None
    language: Language | None = None
    featured: bool | None = None
    draft: bool | None = None


class SearchQuery(BaseModel):
    q: str = Field("", max_length=20_000, description="a longer query or one without any "
                   "word finds nothing")
    language: Language | None = None
    limit: int = Field(10, ge=1, le=search.MAX_LIMIT)


class SearchHit(BaseModel):
    id: int
    title: str
    snippet: str = Field(description="HTML: the text is escaped, matches are in <mark>")
    url: str
    public: bool


class SearchResult(BaseModel):
    items: list[SearchHit]


def refuse_nulls(model: BaseModel, *, keep: tuple[str, ...]) -> None:
    """A field sent as null that can't be empty: a per-field error, not a silent default."""
    for name in model.model_fields_set - set(keep):
        if getattr(model, name) is None:
            raise PydanticCustomError("null", "{name} can't be null", {"name": name})


def article_json(article: Article) -> dict:
    return {"id": article.id, "title": article.title, "body_markdown": article.body_markdown,
            "body_html": article.body_html, "category_id": article.category_id,
            "public": article.public, "language": article.language,
            "featured": article.featured, "draft": article.draft, "views": article.views,
            "helpful_yes": article.helpful_yes, "helpful_no": article.helpful_no,
            "url": article_path(current_tenant().slug, article.id, article.title),
            "created_at": article.created_at.isoformat(),
            "updated_at": article.updated_at.isoformat()}


@endpoint("/kb/articles", "GET", summary="List knowledge-base articles", tag="knowledge base",
          query=ArticleFilters, response=ArticleList)
def list_articles(staff, query: ArticleFilters):
    stmt = service.read_articles(actor=staff, q=query.q, category_id=query.category_id,
                                 public=query.public, language=query.language,
                                 featured=query.featured, draft=query.draft)
    return paginate(stmt, Article.id, query, article_json)


@endpoint("/kb/articles", "POST", summary="Write an article", tag="knowledge base",
          body=ArticleIn, response=ArticleOut, status=201, errors=(403, 422))
def create_article(staff, data: ArticleIn):
    return article_json(service.create_article(actor=staff, **data.model_dump())), 201


@endpoint("/kb/articles/<int:article_id>", "GET", summary="Get an article",
          tag="knowledge base", response=ArticleOut, errors=(404,))
def get_article(staff, article_id: int):
    return article_json(service.view_article(actor=staff, article_id=article_id))


@endpoint("/kb/articles/<int:article_id>", "PATCH", summary="Change an article",
          tag="knowledge base", body=ArticlePatch, response=ArticleOut, errors=(403, 404, 422))
def update_article(staff, article_id: int, data: ArticlePatch):
    return article_json(service.update_article(actor=staff, article_id=article_id,
                                               changes=data.model_dump(exclude_unset=True)))


@endpoint("/kb/articles/<int:article_id>", "DELETE", summary="Delete an article",
          tag="knowledge base", status=204, errors=(403, 404))
def delete_article(staff, article_id: int):
    service.delete_article(actor=staff, article_id=article_id)


@endpoint("/kb/search", "GET", summary="Search the knowledge base (internal articles too)",
          tag="knowledge base", query=SearchQuery, response=SearchResult)
def search_articles(staff, query: SearchQuery):
    hits = service.search_articles(actor=staff, q=query.q, language=query.language,
                                   limit=query.limit)
    slug = current_tenant().slug
    return {"items": [{"id": hit.id, "title": hit.title, "snippet": str(hit.snippet),
                       "url": article_path(slug, hit.id, hit.title), "public": hit.public}
                      for hit in hits]}
