"""signing page language: the language the page was in at each signature; the family's request to sign on paper

Revision ID: 0007_signing_language
Revises: 0006
Create Date: 2026-11-30 17:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('signatures', schema=None) as batch_op:
        # NULL for signatures given before the page could change its language (it was Polish then)
        batch_op.add_column(sa.Column('language', sa.String(length=5), nullable=True))
    with op.batch_alter_table('signing_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('paper_requested_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('signing_sessions', schema=None) as batch_op:
        batch_op.drop_column('paper_requested_at')
    with op.batch_alter_table('signatures', schema=None) as batch_op:
        batch_op.drop_column('language')
