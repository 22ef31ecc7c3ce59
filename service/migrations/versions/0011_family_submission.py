"""families: the one-time token of the registration form that made the file, so that the same
form sent twice (a double click, a reload) registers one family and opens one case

Existing files have none (NULL: the constraint allows any number of them).

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 22:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('families', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submission', sa.String(length=32), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_families_submission'), ['submission'])


def downgrade():
    with op.batch_alter_table('families', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_families_submission'), type_='unique')
        batch_op.drop_column('submission')
