"""signing links: the one-time code kept encrypted for the staff member who started the session

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('signing_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('code_sealed', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('signing_sessions', schema=None) as batch_op:
        batch_op.drop_column('code_sealed')
